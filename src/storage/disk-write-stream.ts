/**
 * The stream that writes a file being received into its open descriptor: each chunk is written at once, on the
 * event loop (`writeSync`, into the page cache), and only the end's `fsync`, the call that waits for the disk,
 * goes to the thread pool; the descriptor is closed after it, as Redis writes its append-only file. An
 * `fs.WriteStream` sends every write and the close through the thread pool too, each a hand-over between threads
 * that costs more CPU than a write into memory. The price: a disk that throttles its writers (dirty pages above
 * the kernel's limit) pauses the whole process, not one worker thread, as a server's reads of a file already do
 * (read-range.ts).
 */
import { closeSync, fsync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export class DiskWriteStream extends Writable {
  /** Bytes written into the file so far (from `start` on). */
  bytesWritten = 0;
  private position: number;
  /** Set while the end's fsync is out: the descriptor it uses must not be closed under it (its number may be reused). */
  private syncing = false;
  private closeAfterSync?: () => void;

  /** `start`: where in the file the first byte goes. */
  constructor(
    private readonly fd: number,
    start = 0,
  ) {
    super();
    this.position = start;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      for (let offset = 0; offset < chunk.length;) {
        const written = writeSync(this.fd, chunk, offset, chunk.length - offset, this.position);
        offset += written;
        this.position += written;
        this.bytesWritten += written;
      }
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  }

  /** Every byte durable before the stream finishes. */
  override _final(done: (error?: Error | null) => void): void {
    this.syncing = true;
    fsync(this.fd, (error) => {
      this.syncing = false;
      this.closeAfterSync?.();
      done(error);
    });
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.syncing) this.closeAfterSync = () => this.closeFile(error, done);
    else this.closeFile(error, done);
  }

  private closeFile(error: Error | null, done: (error?: Error | null) => void): void {
    try {
      closeSync(this.fd);
    } catch (closeError) {
      done(error ?? (closeError as Error));
      return;
    }
    done(error);
  }
}
