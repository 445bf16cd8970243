/**
 * A benchmarked server's stdout and stderr, written to a file instead of a pipe the bench reads. The bench's
 * clients run in the bench's own process: reading a chatty server's lines there (the original queue server logs
 * every request, wirestate's servers three lines per connection) took event-loop turns and CPU from the very
 * loop being timed, and so slowed the rate measured for those servers alone. The file is read only when asked:
 * while a server starts (for its `listening` line) and before and after a step (for its Mark-Compacts); it is
 * removed when its server is stopped.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARK_COMPACT = 'Mark-Compact';

/** Full collections in a piece of `--trace-gc` output. */
export const countMarkCompacts = (text: string): number => text.split(MARK_COMPACT).length - 1;
/** Bytes read from the file at a time. */
const READ_SIZE = 64 * 1024;

export class ServerOutput {
  /** The descriptor to hand the server as its stdout and stderr (`spawn`'s `stdio`). */
  readonly fd: number;
  private readonly reader: number;
  private readonly buffer = Buffer.allocUnsafe(READ_SIZE);
  private read = 0;
  /** The end of what was read, kept so that a `Mark-Compact` split between two reads is counted. */
  private carried = '';
  private collections = 0;
  /** The last 4 KiB read: where a `listening` line is looked for, and what an error quotes. */
  private lately = '';
  private closed = false;

  /** A folder of its own in the system's temp folder, removed by `close`. */
  private readonly folder = mkdtempSync(join(tmpdir(), 'wirestate-bench-output-'));

  constructor() {
    const path = join(this.folder, 'server.log');
    this.fd = openSync(path, 'w');
    this.reader = openSync(path, 'r');
  }

  /** What the server wrote since the last look, its Mark-Compacts counted; the last 4 KiB of its output. */
  latest(): string {
    if (this.closed) return this.lately;
    for (let count; (count = readSync(this.reader, this.buffer, 0, READ_SIZE, this.read)) > 0;) {
      this.read += count;
      const fresh = this.buffer.toString('latin1', 0, count);
      const text = this.carried + fresh;
      this.collections += countMarkCompacts(text);
      this.carried = text.slice(-(MARK_COMPACT.length - 1));
      this.lately = (this.lately + fresh).slice(-4096);
    }
    return this.lately;
  }

  /** Full collections the server has logged so far (with `--trace-gc`). */
  markCompacts(): number {
    this.latest();
    return this.collections;
  }

  /** Reads what is left (`latest` still returns its end), then closes its descriptors and removes its file. */
  close(): void {
    if (this.closed) return;
    this.latest();
    this.closed = true;
    closeSync(this.fd);
    closeSync(this.reader);
    rmSync(this.folder, { recursive: true, force: true });
  }
}
