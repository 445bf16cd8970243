/**
 * A served file rewritten in place (its size unchanged) while a download reads it: the server notices at its
 * last read and fails the transfer rather than send a file that never existed, so the client keeps no torn
 * file. The relay holds the server's bytes once 1 MiB is through: the server then blocks on a full socket
 * long before it has read 64 MiB, and the file is rewritten meanwhile, with no timing involved.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { gatedRelay } from '../test-support/gated-relay';
import { CLI, run, startServerProcess, type ServerProcess } from '../test-support/processes';

const SIZE = 64 * 1024 * 1024;
let root: string;
let local: string;
let server: ServerProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-changed-root-'));
  local = await mkdtemp(join(tmpdir(), 'wirestate-changed-local-'));
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

it('a download of a file rewritten while it is sent fails and keeps no torn file', async () => {
  const served = join(root, 'rewritten.bin');
  await writeFile(served, Buffer.alloc(SIZE, 'x'));
  const relay = await gatedRelay(server.port, 1024 * 1024, 'server');
  try {
    const target = join(local, 'rewritten.bin');
    const result = run(process.execPath, [
      CLI,
      'client',
      '-s',
      `127.0.0.1:${relay.port}`,
      '-v',
      'rewritten.bin',
      '-l',
      target,
    ]);
    await relay.held;
    await writeFile(served, Buffer.alloc(SIZE, 'y'), { flag: 'r+' });
    relay.open();
    const { code, stderr } = await result;
    expect({ code, stderr }).toEqual({
      code: EXIT.interrupted,
      // Reset by the server, the relay passes on a reset or, when it had read all the server sent, an early end.
      stderr: expect.stringMatching(/\nwirestate client: the transfer was interrupted: [^\n]+\n$/),
    });
    expect(existsSync(target)).toBe(false);
    await server.logged(/ server error \(rewritten while it was read\): /);
  } finally {
    await relay.close();
  }
});
