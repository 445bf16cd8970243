/** A client socket reading into the one shared buffer, on a real loopback connection: every byte arrives, lent, in order. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { LENT_READ_BYTES, LentReads } from './lent-reads';
import { connectTcp } from './tcp-connect';

/** What a reader was given: copies of its chunks, whether each was lent, and the largest. */
function collector(socket: Socket, reads: LentReads) {
  const chunks: Buffer[] = [];
  const lent = new Set<boolean>();
  let largest = 0;
  let dataEvents = 0;
  reads.take((chunk, isLent) => {
    chunks.push(Buffer.from(chunk));
    lent.add(isLent);
    largest = Math.max(largest, chunk.length);
  });
  socket.on('data', () => dataEvents++);
  socket.resume();
  const ended = once(socket, 'end').then(() => ({
    bytes: Buffer.concat(chunks),
    lent: [...lent],
    largest,
    dataEvents,
  }));
  return ended;
}

async function listening(onSocket: (socket: Socket) => void) {
  const server = createServer({ allowHalfOpen: true }, onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('LentReads', () => {
  it("reads a download into a client's socket", async () => {
    const download = randomBytes(3 * 1024 * 1024 + 5);
    const { server, port } = await listening((socket) => socket.end(download));
    try {
      const reads = new LentReads();
      const socket = await connectTcp('127.0.0.1', port, reads);
      const result = await collector(socket, reads);
      socket.destroy();
      expect(result.bytes.equals(download)).toBe(true);
      expect(result.lent).toEqual([true]);
      expect(result.dataEvents).toBe(0);
      expect(result.largest).toBeLessThanOrEqual(LENT_READ_BYTES);
    } finally {
      server.close();
    }
  });
});
