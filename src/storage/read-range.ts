import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** Chunk size for file reads on the data path. */
export const READ_CHUNK = 256 * 1024;

/**
 * The first `size` bytes of the file at `file` (a path, or a descriptor the stream then owns and closes)
 * as a stream, in chunks of at most `chunkSize` bytes.
 */
export function readRange(file: string | number, size: number, chunkSize = READ_CHUNK): Readable {
  if (size === 0) return Readable.from([]);
  if (typeof file === 'number')
    return createReadStream('', { fd: file, start: 0, end: size - 1, highWaterMark: chunkSize });
  return createReadStream(file, { start: 0, end: size - 1, highWaterMark: chunkSize });
}
