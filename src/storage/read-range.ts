import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** Chunk size for file reads on the data path. */
export const READ_CHUNK = 256 * 1024;

/** The first `size` bytes of the file at `path` as a stream, in chunks of at most `chunkSize` bytes. */
export function readRange(path: string, size: number, chunkSize = READ_CHUNK): Readable {
  if (size === 0) return Readable.from([]);
  return createReadStream(path, { start: 0, end: size - 1, highWaterMark: chunkSize });
}
