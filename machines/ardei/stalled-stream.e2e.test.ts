/**
 * A TCP stream whose reader stops reading fills the socket; the server then waits on the reader, and one that takes
 * nothing more for --idle-timeout is cut (it had held its slot for ever, a stranger's find), while a reader that reads
 * on, however slowly, is not.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import {
  ardeiServerOnFreePorts,
  ardeiTcpPort,
  startCliServer,
  type ServerProcess,
} from '../../src/test-support/processes';

let server: ServerProcess;
let port: number;
beforeAll(async () => {
  server = await startCliServer([...ardeiServerOnFreePorts(), '--idle-timeout', '1']);
  port = await ardeiTcpPort(server);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

it('cuts a stream whose reader takes nothing more for the idle timeout, and closes it', async () => {
  const reader = connect(port, '127.0.0.1');
  const closed = new Promise((resolve) => reader.on('error', () => undefined).on('close', resolve));
  await once(reader, 'connect');
  // 10001 segments of 64 KiB a millisecond apart: far more than the kernel holds for a reader that reads none.
  reader.write('stream-1-10001-65507');
  reader.end();
  reader.pause();
  await server.logged(/\] timed out \(nothing from the peer for the idle timeout\)/);
  reader.resume();
  await closed;
  expect(reader.bytesRead).toBeLessThan(10001 * 65507);
});

it('does not cut a stream read slowly: every segment arrives', async () => {
  const reader = connect(port, '127.0.0.1');
  await once(reader, 'connect');
  // 15 segments of 64 KiB, read in pauses of 300 ms (under the idle timeout) after each 64 KiB or so.
  reader.write('stream-1-15-65507');
  reader.end();
  let received = 0;
  reader.on('data', (chunk: Buffer) => {
    received += chunk.length;
    reader.pause();
    setTimeout(() => reader.resume(), 300 * (chunk.length / 65536));
  });
  await once(reader, 'close');
  expect(received).toBe(15 * 65507);
});
