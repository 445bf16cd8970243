/**
 * Writes incoming chunks to a stream through a few reused buffers: each chunk is copied into the
 * current buffer, and a full buffer is written out and taken back once its write's callback has run.
 * The chunks themselves (a socket's, allocated per read) are then garbage at once, while they are
 * young, instead of waiting in the stream's queue until the disk takes them; and the disk gets fewer,
 * larger writes.
 */
import type { Writable } from 'node:stream';
import type { UnwrittenBytes } from '../storage/file-store';

export interface PooledWriterOptions {
  /** Bytes on their way to the stream at most before `full`, split into `buffers` buffers. */
  bytes: number;
  buffers: number;
  /** Every buffer is on its way: take no more chunks until `drained`. */
  full(): void;
  /** Half the buffers are back: chunks may come again (not after each one: every full-drained pair steps the owner's machine). */
  drained(): void;
}

export interface PooledWriter {
  write(chunk: Buffer): void;
  /** Writes out what the current buffer holds (before the stream ends). */
  flush(): void;
  /** What it handed to the stream whose write has not called back (views that stay valid: their buffers come back only then). */
  unwritten(): UnwrittenBytes;
  /** True from `full` until `drained`. */
  readonly isFull: boolean;
}

export function pooledWriter(stream: Writable, options: PooledWriterOptions): PooledWriter {
  const size = Math.max(1, Math.floor(options.bytes / options.buffers));
  // Buffers come back here once written. A chunk that arrives while every buffer is on its way still gets
  // one (the owner stops sending at `full`), which then stays: with chunks no larger than a buffer, the
  // pool never holds more than `buffers` + 1.
  const free: Buffer[] = [];
  const onTheirWay: Buffer[] = [];
  /** The stream's bytes before the first of `onTheirWay`: those written. */
  let confirmed = 0;
  let current: Buffer | undefined;
  let filled = 0;
  let isFull = false;
  const writeOut = (buffer: Buffer, length: number) => {
    const bytes = length < buffer.length ? buffer.subarray(0, length) : buffer;
    onTheirWay.push(bytes);
    // A stream calls back its writes in the order they were made: this one is the first still on its way.
    stream.write(bytes, () => {
      onTheirWay.shift();
      confirmed += bytes.length;
      free.push(buffer);
      if (!isFull || onTheirWay.length > options.buffers / 2) return;
      isFull = false;
      options.drained();
    });
    if (isFull || onTheirWay.length < options.buffers) return;
    isFull = true;
    options.full();
  };
  return {
    write: (chunk) => {
      for (let offset = 0; offset < chunk.length;) {
        current ??= free.pop() ?? Buffer.allocUnsafeSlow(size);
        const copied = chunk.copy(current, filled, offset);
        filled += copied;
        offset += copied;
        if (filled < current.length) continue;
        const buffer = current;
        current = undefined;
        filled = 0;
        writeOut(buffer, buffer.length);
      }
    },
    flush: () => {
      if (current && filled > 0) writeOut(current, filled);
      current = undefined;
      filled = 0;
    },
    unwritten: () => ({ at: confirmed, chunks: [...onTheirWay] }),
    get isFull() {
      return isFull;
    },
  };
}
