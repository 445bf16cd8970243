/**
 * Downloads of one run going on at once share the local disk's free space: each is promised the room it asks
 * for, and the next is checked against what is left once those promises are counted. On a 20 MiB disk, four
 * 8 MiB downloads at once: two arrive, two are refused before any byte of theirs moves (not started, then
 * failed with ENOSPC half-way).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, run, startServerProcess, type ServerProcess } from '../test-support/processes';
import { onSmallDisk } from '../test-support/small-disk';

const MiB = 1024 * 1024;
const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin'];
const contents = new Map(names.map((name) => [name, randomBytes(8 * MiB)]));
let base: string;
let server: ServerProcess;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-room-'));
  await mkdir(join(base, 'served'));
  await mkdir(join(base, 'got'));
  for (const name of names) await writeFile(join(base, 'served', name), contents.get(name)!);
  server = await startServerProcess(['--root', join(base, 'served')]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

it('four 8 MiB downloads at once onto a 20 MiB disk: two arrive whole, two are refused for room before they start', async () => {
  const got = join(base, 'got');
  const [command, ...rest] = onSmallDisk(got, '20m');
  // Through the client's own mount namespace: it lists what arrived before it exits.
  const client = await run(command, [
    ...rest,
    'sh',
    '-c',
    `"$@"; code=$?; ls -A ${got}; sha256sum ${got}/*; exit $code`,
    'sh',
    process.execPath,
    CLI,
    'client',
    '-q',
    '-s',
    `127.0.0.1:${server.port}`,
    '--parallel',
    '4',
    ...names.flatMap((name) => ['-v', name, '-l', join(got, name)]),
  ]);
  expect(client.code).toBe(EXIT.localFile);
  const failures = client.stderr.split('\n').filter((line) => line.startsWith('wirestate client: '));
  expect(failures).toHaveLength(2);
  for (const line of failures) expect(line).toMatch(/: not enough free space/);
  const arrived = client.stdout.split('\n').filter((line) => names.includes(line));
  expect(arrived).toHaveLength(2);
  for (const name of arrived) expect(client.stdout).toContain(`${sha256(contents.get(name)!)}  ${join(got, name)}`);
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

it('a download onto a disk already full is refused for room and leaves nothing there, its lock neither', async () => {
  const full = join(base, 'full');
  await mkdir(full);
  const [command, ...rest] = onSmallDisk(full, '1m');
  const client = await run(command, [
    ...rest,
    'sh',
    '-c',
    `head -c ${2 * MiB} /dev/zero > ${full}/filler 2>/dev/null; "$@"; code=$?; ls -A ${full}; exit $code`,
    'sh',
    process.execPath,
    CLI,
    'client',
    '-s',
    `127.0.0.1:${server.port}`,
    '-v',
    'a.bin',
    '-l',
    join(full, 'a.bin'),
  ]);
  expect(client.code).toBe(EXIT.localFile);
  expect(client.stderr).toMatch(/not enough free space|no space left/);
  expect(client.stdout).toBe('filler\n');
});
