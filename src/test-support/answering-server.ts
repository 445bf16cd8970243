/**
 * A fake server on loopback (a port the OS picks) that answers the first bytes of every connection with
 * `reply` and closes: what a hostile or broken peer says, for a client's test.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

/** Runs `use` with the fake server's port, and closes the server after. */
export async function withAnsweringServer<T>(reply: string | Buffer, use: (port: number) => Promise<T>): Promise<T> {
  const fake = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(reply));
  }).listen(0, '127.0.0.1');
  await once(fake, 'listening');
  try {
    return await use((fake.address() as AddressInfo).port);
  } finally {
    fake.close();
  }
}
