/**
 * `node dist/scripts/yardstick-queue.js`: the queue protocol over TCP (docs: ../shared/PROTOCOLS-OTHER.md)
 * served by plain Node.js, no state machine, no logging, in memory: the yardstick `npm run bench` measures
 * wirestate's queue server against, beside the original. Listens on a port the OS chooses and prints
 * `listening on 127.0.0.1:PORT`. A connection whose first 7 bytes are `<<GET>>` gets the oldest message
 * (or the empty-queue text) and a close; any other is read to its end, kept (unless it sent nothing), and
 * closed, as wirestate does. A message over 1 MiB (wirestate's default cap) resets the connection and is not
 * kept. None of wirestate's other limits (queue length, connections, rates) are here.
 */
import { createServer, type AddressInfo } from 'node:net';

const GET = Buffer.from('<<GET>>');
const EMPTY = Buffer.from('Error - no messages in queue.');
const MAX_MESSAGE = 1024 * 1024;
const queue: Buffer[] = [];

const server = createServer((socket) => {
  const chunks: Buffer[] = [];
  let length = 0;
  /** Whether the first 7 bytes have come and were not a GET. */
  let message = false;
  socket.on('error', () => socket.destroy());
  socket.setTimeout(30_000, () => socket.resetAndDestroy());
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
    if (length > MAX_MESSAGE) return void socket.resetAndDestroy();
    if (message || length < GET.length) return;
    message = !Buffer.concat(chunks, GET.length).equals(GET);
    if (message) return;
    socket.removeAllListeners('data');
    socket.end(queue.shift() ?? EMPTY);
  });
  socket.on('end', () => {
    if (socket.writableEnded) return;
    // A connection that sent nothing is no message (the original stored an empty one: PROTOCOLS-OTHER.md).
    if (length > 0) queue.push(Buffer.concat(chunks, length));
    socket.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${(server.address() as AddressInfo).port}`));
