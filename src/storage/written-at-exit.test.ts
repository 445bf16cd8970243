/**
 * A resumable part stopped just before its process exits (Ctrl-C's exit does not wait for the disk) still holds
 * every byte handed to it: a real child process, real files, a real exit straight after the abort.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeKeptParts, writtenAtExit } from './written-at-exit';

const BUILT = join(__dirname, '..', '..', 'dist', 'src', 'storage', 'resumable-file.js');
const KEPT = '.file.bin.tag.wirestate-resume';

let folder: string;
beforeEach(async () => (folder = await mkdtemp(join(tmpdir(), 'wirestate-exit-'))));
afterEach(() => rm(folder, { recursive: true, force: true }));

/** Writes the file at argv[1] to a fresh part in folder argv[2] in 1 MiB chunks, stops the part and exits at once. */
const CHILD = `
  const { createResumableFile } = require(${JSON.stringify(BUILT)});
  const content = require('node:fs').readFileSync(process.argv[1]);
  const incoming = createResumableFile(require('node:path').join(process.argv[2], 'file.bin'), ${JSON.stringify(KEPT)}, 0, {
    noClobber: true,
  });
  const chunks = [];
  for (let at = 0; at < content.length; at += 1 << 20) chunks.push(content.subarray(at, at + (1 << 20)));
  for (const chunk of chunks) incoming.stream.write(chunk);
  incoming.abort({ at: 0, chunks });
  process.exit(0);
`;

it('keeps every byte handed to the part though the process exits straight after the abort', async () => {
  const content = randomBytes(8 * 1024 * 1024 + 12345);
  const source = join(folder, 'source.bin');
  const out = join(folder, 'out');
  await writeFile(source, content);
  await mkdir(out);
  await promisify(execFile)(process.execPath, ['-e', CHILD, source, out]);
  expect(await readdir(out)).toEqual([KEPT]);
  expect((await readFile(join(out, KEPT))).equals(content)).toBe(true);
});

it('says which part the disk would not take whole, and how many of its first bytes it holds', () => {
  // /dev/full: every write fails with ENOSPC, as a full disk's does.
  const fd = openSync('/dev/full', 'w');
  const stream = createWriteStream('/dev/full', { fd });
  writtenAtExit({ path: '/dev/full', fd, start: 100 }, { at: 20, chunks: [Buffer.alloc(10)] }, stream);
  expect(writeKeptParts()).toEqual([{ path: '/dev/full', code: 'ENOSPC', kept: 120 }]);
  // Said once: the exit has nothing left to write.
  expect(writeKeptParts()).toEqual([]);
  stream.destroy();
});
