/** A client that speaks bytes, not the protocol: for tests that misbehave on purpose. */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/** A raw client: connects, sends `bytes`, and remembers how the server ended it. */
export async function raw(port: number, ...bytes: Buffer[]) {
  const socket: Socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  const ended = new Promise<'end' | 'reset'>((resolve) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => resolve('end'));
    socket.on('error', () => resolve('reset'));
  });
  // A server at its connection limit may reset the socket before it even reports being connected.
  await Promise.race([once(socket, 'connect'), ended]).catch(() => undefined);
  for (const chunk of bytes) socket.write(chunk);
  const replies = async (count: number) => {
    while (Buffer.concat(received).length < count) await once(socket, 'data');
    return Buffer.concat(received);
  };
  return { socket, ended, replies };
}
