/** Accepted sockets reading into the shared buffer, on real loopback connections: every byte, lent, in order; close waits for them. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ChunkReader } from './lent-reads';
import { lendReads } from './lent-server-socket';

interface Taken {
  bytes: Buffer;
  lent: boolean[];
  dataEvents: number;
}

/** A server whose accepted sockets read lent; each connection's bytes, once its client has ended, then it answers `reply`. */
async function lendingServer(reply: Buffer) {
  const taken: Promise<Taken>[] = [];
  const sockets: Socket[] = [];
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    const reads = lendReads(socket);
    sockets.push(socket);
    const chunks: Buffer[] = [];
    const lent = new Set<boolean>();
    let dataEvents = 0;
    const reader: ChunkReader = (chunk, isLent) => {
      chunks.push(Buffer.from(chunk));
      lent.add(isLent);
    };
    reads?.take(reader);
    socket.on('data', () => dataEvents++);
    socket.resume();
    taken.push(
      once(socket, 'end').then(() => {
        socket.end(reply);
        return { bytes: Buffer.concat(chunks), lent: [...lent], dataEvents };
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets, taken, port: (server.address() as AddressInfo).port };
}

/** Sends `bytes`, ends its side, and resolves with what the server answered. */
function upload(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.end();
      resolve(Buffer.concat(chunks));
    });
    socket.end(bytes);
  });
}

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('lendReads', () => {
  it('reads two uploads at once, each whole and in order, through the one shared buffer', async () => {
    const reply = Buffer.from('stored\n');
    const { server, taken } = await lendingServer(reply);
    try {
      const uploads = [randomBytes(5 * 1024 * 1024 + 3), randomBytes(3 * 1024 * 1024 + 1)];
      const port = (server.address() as AddressInfo).port;
      const answers = await Promise.all(uploads.map((bytes) => upload(port, bytes)));
      const results = await Promise.all(taken);
      expect(answers).toEqual([reply, reply]);
      const received = results.map((result) => result.bytes);
      // Accepted in either order: match each upload by its length.
      received.sort((a, b) => b.length - a.length);
      expect(received[0].equals(uploads[0])).toBe(true);
      expect(received[1].equals(uploads[1])).toBe(true);
      for (const result of results) {
        expect(result.lent).toEqual([true]);
        expect(result.dataEvents).toBe(0);
      }
    } finally {
      server.close();
    }
  });

  it("keeps the server's count: close settles only once a lent socket has closed", async () => {
    const { server, sockets, port } = await lendingServer(Buffer.alloc(0));
    const client = connect({ port, host: '127.0.0.1' });
    await once(client, 'connect');
    while (sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let settled = false;
    const closing = closed(server).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    sockets[0].destroy();
    client.destroy();
    await closing;
    expect(settled).toBe(true);
  });
});
