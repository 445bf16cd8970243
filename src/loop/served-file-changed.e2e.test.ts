/**
 * A served file rewritten in place (its size unchanged) while a download reads it: the server notices at its
 * last read and fails the transfer rather than send a file that never existed, so the client keeps no torn
 * file. The relay holds the server's bytes once 1 MiB is through: the server then blocks on a full socket
 * long before it has read 64 MiB, and the file is rewritten meanwhile, with no timing involved. And a file
 * replaced (renamed over) between the size in the reply and the client's confirmation: refused, not cut.
 */
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
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

it('a file another is renamed over between the reply and the confirmation is not sent cut to the size announced', async () => {
  const served = join(root, 'doc.txt');
  await writeFile(served, 'OLD-'.repeat(2500));
  const socket = connect({ port: server.port, host: '127.0.0.1' });
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  const closed = new Promise<boolean>((resolve) => socket.on('close', resolve));
  socket.on('error', () => undefined);
  const request = Buffer.alloc(256);
  request.write('Ddoc.txt');
  socket.write(request);
  // Bounded: the reply comes at once, or jest's time-out ends the test.
  while (received.length < 9) await once(socket, 'data');
  expect(received.subarray(0, 9)).toEqual(Buffer.from('54' + (10_000).toString(16).padStart(16, '0'), 'hex'));
  const replacement = join(root, 'doc.txt.new');
  await writeFile(replacement, 'NEW!'.repeat(5000));
  await rename(replacement, served);
  socket.write('T');
  await closed;
  // Not 10,000 bytes of the new file, as though it were the one announced: the server resets instead.
  expect(received.subarray(9).includes('NEW!')).toBe(false);
  await server.logged(/ server error \(changed since it was looked up: 20000 bytes now, 10000 announced\)/);
});
