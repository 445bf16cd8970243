/**
 * How a client's TCP socket reads: into one buffer that every client socket of the process shares (net's
 * documented `onread` option of `net.connect`), not into a new Buffer per read. A bulk download then
 * allocates nothing per read, so V8 has no stream of short-lived external buffers to collect. A chunk is
 * only lent: the next read, of any of these sockets, writes over it once the callback returns, so nothing
 * may keep it (frame-pump.ts `lend` copies what must outlive it). One buffer is enough because reads run one
 * at a time, each callback to its end.
 */
import type { OnReadOpts } from 'node:net';

/** The most one read takes: larger reads, fewer of them. */
export const LENT_READ_BYTES = 256 * 1024;

let shared: Buffer | undefined;
const sharedBuffer = () => (shared ??= Buffer.allocUnsafeSlow(LENT_READ_BYTES));

/** `lent`: `chunk` is valid only until this call returns. */
export type ChunkReader = (chunk: Buffer, lent: boolean) => void;

export class LentReads {
  private reader: ChunkReader | undefined;
  /** Chunks read before a reader was there, as copies. */
  private readonly early: Buffer[] = [];

  /** The socket's `onread` option (tcp-connect.ts). */
  readonly onread: OnReadOpts = { buffer: sharedBuffer(), callback: (count) => this.read(count) };

  private read(count: number): boolean {
    const chunk = sharedBuffer().subarray(0, count);
    if (this.reader) this.reader(chunk, true);
    else this.early.push(Buffer.from(chunk));
    return true;
  }

  /** From now on `reader` gets each chunk read; first, those read so far. */
  take(reader: ChunkReader): void {
    this.reader = reader;
    for (const chunk of this.early.splice(0)) reader(chunk, false);
  }
}
