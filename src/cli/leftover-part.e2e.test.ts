/**
 * A download that keeps nothing to resume from (`--plain`, `--no-verify`) and succeeds leaves no hidden part an
 * earlier, interrupted download kept of the same file: the finished file makes it stale. The earlier download
 * is stopped (SIGTERM) while the relay holds the server's bytes once 1 MiB is through: no timing involved.
 */
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { gatedRelay } from '../test-support/gated-relay';
import { CLI, run, startServerProcess, type ServerProcess } from '../test-support/processes';

const SIZE = 16 * 1024 * 1024;
let root: string;
let server: ServerProcess;
let content: Buffer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-leftover-root-'));
  content = randomBytes(SIZE);
  await writeFile(join(root, 'x.bin'), content);
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

/** A folder holding only what a download into `x.bin` interrupted after 1 MiB kept. */
async function interruptedDownload(): Promise<string> {
  const local = await mkdtemp(join(tmpdir(), 'wirestate-leftover-local-'));
  const relay = await gatedRelay(server.port, 1024 * 1024, 'server');
  try {
    const client = spawn(
      process.execPath,
      [CLI, 'client', '-s', `127.0.0.1:${relay.port}`, '-v', 'x.bin', '-l', join(local, 'x.bin')],
      { stdio: 'ignore', timeout: 30_000 },
    );
    await relay.held;
    client.kill('SIGTERM');
    await once(client, 'exit');
  } finally {
    await relay.close();
  }
  return local;
}

it.each([['--plain'], ['--no-verify']])('a download with %s removes the part an interrupted one kept', async (flag) => {
  const local = await interruptedDownload();
  expect(await readdir(local)).toEqual([expect.stringMatching(/^\.x\.bin\.\S+\.wirestate-resume$/)]);
  const result = await run(process.execPath, [
    CLI,
    'client',
    flag,
    '-s',
    `127.0.0.1:${server.port}`,
    '-v',
    'x.bin',
    '-l',
    join(local, 'x.bin'),
  ]);
  expect(result.code).toBe(EXIT.ok);
  expect((await readFile(join(local, 'x.bin'))).equals(content)).toBe(true);
  expect(await readdir(local)).toEqual(['x.bin']);
});
