/**
 * A client reads every socket into one shared buffer (lent-reads.ts): resumed downloads through the stammer
 * proxy, several at once in one run so their reads take turns in that buffer, arrive byte for byte, frames
 * cut anywhere. Each resumes from a kept half, checked with the whole file's SHA-256 (kept bytes hashed first).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import type { RunningProxy } from '../proxy/stammer-proxy';
import { keptDownloadTag } from '../storage/kept-download';
import { resumeNameFor } from '../storage/resume-names';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';
import { stammerTo } from '../test-support/stammer';

const SIZE = 256 * 1024;
const KEPT = SIZE / 2;
/** Eight at once: the frame that ends one file, cut by the proxy, waits in memory another socket reads into next. */
const NAMES = Array.from({ length: 16 }, (_, index) => `f${index}.bin`);
const PARALLEL = 8;

let dir: string;
let server: ServerProcess | undefined;
let proxy: RunningProxy | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'wirestate-lent-resume-'));
});
afterEach(async () => {
  await proxy?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  proxy = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

it(`${NAMES.length} downloads resumed ${PARALLEL} at once through the stammer proxy arrive byte for byte, each sent only its missing half`, async () => {
  const root = join(dir, 'root');
  const here = join(dir, 'here');
  await mkdir(root);
  await mkdir(here);
  const contents = new Map(NAMES.map((name) => [name, randomBytes(SIZE)]));
  for (const name of NAMES) {
    await writeFile(join(root, name), contents.get(name)!);
    // What an interrupted download kept, named by the served file's size and mtime.
    const { mtimeMs } = await stat(join(root, name));
    const tag = keptDownloadTag(`${SIZE}-${Math.floor(mtimeMs)}`, name);
    await writeFile(join(here, resumeNameFor(name, tag)), contents.get(name)!.subarray(0, KEPT));
  }
  server = await startServerProcess(['--root', root]);
  proxy = await stammerTo(server.port, { maxFragment: 512, maxDelayMs: 1, seed: 7 });
  const pairs = NAMES.flatMap((name) => ['-v', name, '-l', name]);
  const result = await wirestate(
    ['client', '-q', '-s', `127.0.0.1:${proxy.address.port}`, '--parallel', `${PARALLEL}`, ...pairs],
    here,
  );
  expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
  expect((await readdir(here)).sort()).toEqual([...NAMES].sort());
  for (const name of NAMES) expect(sha256(await readFile(join(here, name)))).toBe(sha256(contents.get(name)!));
  // The server logs each end as its connection closes, maybe just after the client has exited.
  await server.logged(new RegExp(`(downloaded: [^]*){${NAMES.length}}`));
  expect(server.output().match(/downloaded: [\d.]+ \w+/g)).toEqual(NAMES.map(() => 'downloaded: 128.0 KiB'));
});
