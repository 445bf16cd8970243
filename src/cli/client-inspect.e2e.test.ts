/**
 * `client --inspect`: the run reports as without it (the "downloaded ..." line as soon as the file is
 * there), then keeps the inspector page up until Ctrl-C, and exits with the transfer's code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, startServerProcess, type ServerProcess } from '../test-support/processes';

let base: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-client-inspect-'));
  await writeFile(join(base, 'one.txt'), 'abc');
  server = await startServerProcess(['--root', base]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/** Downloads one.txt into `local` with --inspect 0, and waits until stderr holds `until`; its stderr so far and its exit. */
async function inspectedDownload(local: string, until: string) {
  const args = ['client', '--inspect', '0', '-s', `127.0.0.1:${server.port}`, '-v', 'one.txt', '-l', local];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  while (!stderr.includes(until)) await once(child.stderr, 'data');
  return { child, stderr, exited };
}

it('says "downloaded ..." before the inspector stays open, and Ctrl-C then exits 0, however many come at once', async () => {
  const local = join(base, 'got.txt');
  const { child, stderr, exited } = await inspectedDownload(local, 'until you press Ctrl-C');
  const lines = stderr.trimEnd().split('\n');
  expect(lines.at(-2)).toMatch(/^downloaded 3 B in \d+\.\d\d s \(.*\/s\)$/);
  expect(lines.at(-1)).toMatch(
    /^finished; the inspector stays open on http:\/\/127\.0\.0\.1:\d+\/ until you press Ctrl-C$/,
  );
  expect(await readFile(local, 'utf8')).toBe('abc');
  // A burst, as a held key or an impatient user sends: the ones that come while the page closes change nothing.
  for (let signal = 0; signal < 5; signal++) {
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect(await exited).toEqual([0, null]);
});

it.each(['SIGINT', 'SIGTERM'] as const)(
  'a %s as soon as the result line is out (before the note) closes the page too: exit 0, not death by signal',
  async (signal) => {
    const local = join(base, `got-${signal}.txt`);
    const { child, exited } = await inspectedDownload(local, 'downloaded 3 B');
    child.kill(signal);
    expect(await exited).toEqual([0, null]);
    expect(await readFile(local, 'utf8')).toBe('abc');
  },
);
