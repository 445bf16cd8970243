/**
 * Local names a download cannot land in, as the user meets them: one line saying why, exit 7, and nothing left
 * in the way. Before: a folder that takes no new files (/proc, /sys, whose free space reads 0) was "not enough
 * free space here: not enough free space for the file", and a download over a FIFO or a device (/dev/null)
 * renamed a regular file into its place. A character device (/dev/null, /dev/full) is written into as it is.
 */
import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-targets-'));
  await writeFile(join(base, 'speech.txt'), 'four score\n');
  server = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', base]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

const download = (local: string) =>
  wirestate(['client', '-s', `127.0.0.1:${server.port}`, '-v', 'speech.txt', '-l', local, '-q']);

it.each([
  ['/proc/wirestate-download.txt', 'cannot create a file in /proc: it takes no new files'],
  ['/sys/wirestate-download.txt', 'cannot create a file in /sys: permission denied (EACCES)'],
])('-l %s, a folder that takes no new files: says so, not "no space", exit 7', async (local, words) => {
  const result = await download(local);
  expect(result).toMatchObject({ code: EXIT.localFile, stderr: `wirestate client: ${words}\n` });
});

it('-l /dev/null: the bytes are written into it, as curl -o /dev/null does, exit 0, and it stays a device', async () => {
  const result = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '-v', 'speech.txt', '-l', '/dev/null']);
  expect(result).toMatchObject({ code: EXIT.ok, stdout: '' });
  expect(result.stderr).toMatch(/\ndownloaded 11 B in [\d.]+ s \(/);
  expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  // No temporary file beside it: a device is written in place, never renamed over.
  expect((await readdir('/dev')).filter((name) => name.includes('wirestate'))).toEqual([]);
});

it('-l /dev/full: the device refuses the bytes, and the client says so, exit 7', async () => {
  const result = await download('/dev/full');
  expect(result).toMatchObject({
    code: EXIT.localFile,
    stderr: 'wirestate client: cannot write /dev/full: no space left on the device (ENOSPC)\n',
  });
  expect((await lstat('/dev/full')).isCharacterDevice()).toBe(true);
});

it('-l a FIFO: refused as not a regular file, exit 7, and the FIFO stays', async () => {
  const fifo = join(base, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const result = await download(fifo);
  expect(result).toMatchObject({
    code: EXIT.localFile,
    stderr: `wirestate client: ${fifo} is not a regular file: name a file to download into, or - for stdout\n`,
  });
  expect((await lstat(fifo)).isFIFO()).toBe(true);
});

// Before: `-l /` failed as `cannot write /: EXDEV`, and `-l dd/` with no folder dd made a file named dd.
it.each([
  ['/', '/ is a folder: name a file to download into, as /speech.txt'],
  ['no-such-folder/', 'no-such-folder/ names a folder, and there is no such folder: name a file to download into'],
])('-l %s: one line saying why, exit 7, nothing made', async (local, words) => {
  const before = await readdir(base);
  const result = await wirestate(
    ['client', '-s', `127.0.0.1:${server.port}`, '-v', 'speech.txt', '-l', local, '-q'],
    base,
  );
  expect(result).toMatchObject({ code: EXIT.localFile, stderr: `wirestate client: ${words}\n` });
  expect(await readdir(base)).toEqual(before);
});
