/**
 * `node dist/scripts/yardstick-server.js ROOT`: the transfer protocol (docs: ../shared/PROTOCOL.md)
 * served by plain Node.js, no state machine, no logging: the yardstick `npm run bench` measures
 * wirestate's small-request cost against. Listens on a port the OS chooses and prints
 * `listening on 127.0.0.1:PORT`. Names are plain entries of ROOT (no `/`, no `..`); an upload is
 * written to a temporary file, synced and renamed, and acknowledged by a clean end, as wirestate does.
 */
import { closeSync, createReadStream, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

const root = process.argv[2];
const YES = 0x54;
const NO = 0x46;
const ERROR = 0x45;
/**
 * Every file is looked up synchronously, and one of up to this size read synchronously, from the page cache, as
 * wirestate's server does (src/storage/read-range.ts): a trip through the thread pool per call would make this yardstick slower than
 * a plain server need be, and the small-request ratio would credit wirestate with an I/O habit, not measure
 * what its state machines cost.
 */
const SYNC_READ_MAX = 64 * 1024;

/** The file a REQUEST names, or undefined for a name that is not a plain entry of the root. */
function pathOf(request: Buffer): string | undefined {
  const name = request.subarray(1).toString('utf8').replace(/\0/g, '').trim();
  return name === '' || name === '.' || name === '..' || name.includes('/') ? undefined : join(root, name);
}

/** Reads exactly `count` bytes, keeping what arrives after them for the next read. */
function reader(socket: Socket): (count: number) => Promise<Buffer> {
  let held: Buffer = Buffer.alloc(0);
  let waiting: { count: number; resolve: (bytes: Buffer) => void } | undefined;
  const serve = () => {
    if (!waiting || held.length < waiting.count) return;
    const { count, resolve } = waiting;
    waiting = undefined;
    socket.pause();
    const bytes = held.subarray(0, count);
    held = held.subarray(count);
    resolve(bytes);
  };
  socket.on('data', (chunk: Buffer) => {
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    serve();
  });
  socket.pause();
  return (count) =>
    new Promise((resolve) => {
      waiting = { count, resolve };
      socket.resume();
      serve();
    });
}

/** What is at `path`, or undefined when nothing can be said of it (missing, not reachable). */
function statQuietly(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

async function download(
  socket: Socket,
  read: (count: number) => Promise<Buffer>,
  path: string | undefined,
): Promise<void> {
  const info = path === undefined ? undefined : statQuietly(path);
  const reply = Buffer.alloc(9);
  reply[0] = path === undefined ? ERROR : info?.isFile() ? YES : NO;
  if (reply[0] !== YES) return void socket.end(reply);
  reply.writeBigUInt64BE(BigInt(info!.size), 1);
  socket.write(reply);
  if ((await read(1))[0] !== YES) return void socket.end();
  if (info!.size <= SYNC_READ_MAX) sendRead(socket, path!, info!.size);
  else sendStreamed(socket, path!, info!.size);
}

/*
 * Both senders reset the connection when the file cannot be read or no longer holds the size announced (one byte
 * past it is asked for, so a file that grew is caught as one that shrank): the client must not take a FIN for
 * the end of a file it did not get whole.
 */

/** A small file, read whole at once. */
function sendRead(socket: Socket, path: string, size: number): void {
  const bytes = Buffer.allocUnsafe(size + 1);
  let count = -1;
  try {
    const fd = openSync(path, 'r');
    try {
      count = readSync(fd, bytes, 0, size + 1, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // unreadable now: reset below
  }
  if (count === size) socket.end(bytes.subarray(0, size));
  else socket.resetAndDestroy();
}

/** A larger file, streamed as the peer takes it. */
function sendStreamed(socket: Socket, path: string, size: number): void {
  const file = createReadStream(path, { end: size });
  let read = 0;
  file.on('data', (chunk) => {
    if (typeof chunk === 'string') return; // no encoding is set: never a string
    const announced = chunk.subarray(0, Math.max(0, size - read));
    read += chunk.length;
    if (announced.length > 0 && !socket.write(announced)) file.pause();
  });
  socket.on('drain', () => file.resume());
  socket.on('close', () => file.destroy());
  file.on('error', () => socket.resetAndDestroy());
  file.on('end', () => (read === size ? socket.end() : socket.resetAndDestroy()));
}

async function upload(
  socket: Socket,
  read: (count: number) => Promise<Buffer>,
  path: string | undefined,
): Promise<void> {
  const taken =
    path === undefined ||
    (await stat(path).then(
      () => true,
      () => false,
    ));
  if (taken) return void socket.end(Buffer.of(path === undefined ? ERROR : NO));
  socket.write(Buffer.of(YES));
  let left = Number((await read(8)).readBigUInt64BE(0));
  socket.write(Buffer.of(YES));
  const temporary = `${path}.${process.pid}.${String(socket.remotePort)}.part`;
  const file = await open(temporary, 'wx');
  try {
    while (left > 0) {
      const bytes = await read(Math.min(left, 1024 * 1024));
      await file.write(bytes);
      left -= bytes.length;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  socket.end();
}

const server = createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.setTimeout(30_000, () => socket.resetAndDestroy());
  const read = reader(socket);
  void (async () => {
    const request = await read(256);
    const path = pathOf(request);
    if (request[0] === 0x44) await download(socket, read, path);
    else if (request[0] === 0x55) await upload(socket, read, path);
    else socket.destroy();
  })().catch(() => socket.resetAndDestroy());
});
server.listen(0, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${(server.address() as AddressInfo).port}`));
