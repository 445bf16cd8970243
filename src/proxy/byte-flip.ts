/**
 * `--corrupt-after N`: one byte of a stream changed on its way, the one after the first N, so that a
 * receiver's integrity check can be seen to catch it. Counts the bytes it is shown; every other byte passes as it came.
 */
export interface ByteFlip {
  /** Bytes that pass through the proxy intact before the flipped one. */
  after: number;
  /** What the byte is XORed with: 1..255, so it always changes. */
  mask: number;
}

/** Returns a function to call on each chunk in order: the chunk, or a copy of it with the byte at `after` flipped. */
export function byteFlipper({ after, mask }: ByteFlip): (chunk: Buffer) => Buffer {
  let seen = 0;
  return (chunk) => {
    const at = after - seen;
    seen += chunk.length;
    if (at < 0 || at >= chunk.length) return chunk;
    const flipped = Buffer.from(chunk);
    flipped[at] ^= mask;
    return flipped;
  };
}
