/**
 * Writes incoming chunks to a stream through a few reused buffers: each chunk is copied into the
 * current buffer, and a full buffer is written out and taken back once its write's callback has run.
 * The chunks themselves (a socket's, allocated per read) are then garbage at once, while they are
 * young, instead of waiting in the stream's queue until the disk takes them; and the disk gets fewer,
 * larger writes.
 */
import type { Writable } from 'node:stream';

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
  /** True from `full` until `drained`. */
  readonly isFull: boolean;
}

export function pooledWriter(stream: Writable, options: PooledWriterOptions): PooledWriter {
  const size = Math.max(1, Math.floor(options.bytes / options.buffers));
  // Buffers come back here once written. A chunk that arrives while every buffer is on its way still gets
  // one (the owner stops sending at `full`), which then stays: with chunks no larger than a buffer, the
  // pool never holds more than `buffers` + 1.
  const free: Buffer[] = [];
  let onTheirWay = 0;
  let current: Buffer | undefined;
  let filled = 0;
  let isFull = false;
  const writeOut = (buffer: Buffer, length: number) => {
    onTheirWay++;
    stream.write(length < buffer.length ? buffer.subarray(0, length) : buffer, () => {
      onTheirWay--;
      free.push(buffer);
      if (!isFull || onTheirWay > options.buffers / 2) return;
      isFull = false;
      options.drained();
    });
    if (isFull || onTheirWay < options.buffers) return;
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
    get isFull() {
      return isFull;
    },
  };
}
