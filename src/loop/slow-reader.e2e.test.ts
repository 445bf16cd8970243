/**
 * A client that reads a download slowly but steadily is no idle one: the server's source hears that the peer
 * acknowledges bytes (send-progress.ts), not only when its socket has room again, which a full send buffer
 * says only once much of it has drained: at a few tens of KB/s, long after --idle-timeout.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { OP, STATUS, encodeRequest, encodeStatus } from '../../machines/transfer/frames';
import { startServerProcess, type ServerProcess } from '../test-support/processes';

const MiB = 1024 * 1024;
/** What the reader takes per second, far above --min-rate's default 1 KiB/s. */
const RATE = 256 * 1024;
const IDLE_S = 4;
/** How long it reads: several idle timeouts. */
const READ_MS = 12_000;

let base: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-slow-reader-'));
  await writeFile(join(base, 'big.bin'), Buffer.alloc(64 * MiB, 5));
  server = await startServerProcess(['--root', base, '--idle-timeout', String(IDLE_S)]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

it(`a download read at ${RATE / 1024} KiB/s is not cut by a ${IDLE_S} s idle timeout`, async () => {
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  let received = 0;
  let ended: string | undefined;
  socket.on('end', () => (ended = 'end'));
  socket.on('error', (error: NodeJS.ErrnoException) => (ended = error.code ?? 'error'));
  socket.write(encodeRequest(OP.download, 'big.bin'));
  // After the 9-byte reply, confirm, then take the DATA at RATE: pause after each chunk for as long as it is worth.
  let confirmed = false;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (!confirmed && received >= 9) {
      confirmed = true;
      socket.write(encodeStatus(STATUS.yes));
    }
    socket.pause();
    setTimeout(() => socket.resume(), (chunk.length / RATE) * 1000);
  });
  await delay(READ_MS);
  const soFar = received;
  socket.destroy();
  expect(ended).toBeUndefined();
  // It kept reading: well over the first socket buffers' worth, and no timeout logged.
  expect(soFar).toBeGreaterThan((RATE * READ_MS) / 1000 / 4);
  expect(server.output()).not.toMatch(/timed out/);
});
