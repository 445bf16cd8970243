/** The kernel's unacknowledged bytes of a real loopback socket, over IPv4 and IPv6, as a peer stops and starts reading. */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { unacknowledgedBytes } from './tcp-table';

const SENT = 16 * 1024 * 1024;

/** Polls (at most 100 times, 20 ms apart) until `ok` holds for the socket's unacknowledged bytes; returns the last value. */
async function until(socket: Socket, ok: (bytes: number | undefined) => boolean): Promise<number | undefined> {
  let bytes = await unacknowledgedBytes(socket);
  for (let round = 0; round < 100 && !ok(bytes); round++) {
    await delay(20);
    bytes = await unacknowledgedBytes(socket);
  }
  return bytes;
}

it.each(['127.0.0.1', '::1'])(
  'over %s: none when the peer has everything, some while it does not read',
  async (host) => {
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      accepted.push(socket);
      socket.pause();
    });
    let socket: Socket | undefined;
    try {
      await once(server.listen(0, host), 'listening');
      socket = connect({ host, port: (server.address() as AddressInfo).port });
      await once(socket, 'connect');
      expect(await unacknowledgedBytes(socket)).toBe(0);

      socket.write(Buffer.alloc(SENT));
      expect(await until(socket, (bytes) => (bytes ?? 0) > 0)).toBeGreaterThan(0);

      while (accepted.length === 0) await once(server, 'connection');
      const reader = accepted[0];
      let received = 0;
      reader.on('data', (chunk: Buffer) => (received += chunk.length));
      reader.resume();
      expect(await until(socket, (bytes) => bytes === 0 && received === SENT)).toBe(0);
    } finally {
      socket?.destroy();
      for (const peer of accepted) peer.destroy();
      server.close();
    }
  },
);
