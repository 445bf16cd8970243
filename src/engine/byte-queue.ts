/**
 * Holds the bytes a reader has received but not yet consumed, across chunks.
 * Copies only when a frame straddles chunks; bulk slices are zero-copy views.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The first queued byte, without removing it; undefined when empty. */
  peek(): number | undefined {
    return this.chunks[0]?.[0];
  }

  /** Removes exactly `n` bytes; the caller checks `length` first. */
  take(n: number): Buffer {
    if (n > this.size) throw new RangeError(`take(${n}) with ${this.size} bytes queued`);
    const head = this.chunks[0];
    if (head && head.length >= n) return this.takeUpTo(n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) filled += this.takeUpTo(n - filled).copy(out, filled);
    return out;
  }

  /** Removes up to `n` bytes from the first queued chunk, without copying. */
  takeUpTo(n: number): Buffer {
    const head = this.chunks[0];
    if (!head || n <= 0) return Buffer.alloc(0);
    if (head.length <= n) {
      this.chunks.shift();
      this.size -= head.length;
      return head;
    }
    this.chunks[0] = head.subarray(n);
    this.size -= n;
    return head.subarray(0, n);
  }

  /** Replaces the queued chunks that are views of `memory` with copies: that memory is about to be reused. */
  keep(memory: ArrayBufferLike): void {
    this.chunks = this.chunks.map((chunk) => (chunk.buffer === memory ? Buffer.from(chunk) : chunk));
  }

  /** Removes everything queued, returning how many bytes were dropped. */
  clear(): number {
    const dropped = this.size;
    this.chunks = [];
    this.size = 0;
    return dropped;
  }
}
