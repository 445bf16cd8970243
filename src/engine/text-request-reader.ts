/**
 * The frame decoder of servers whose request is unframed text (text-request.ts):
 * chunks become `frame.bytes` events as with `ChunkReader`, but the chunk in
 * which the request ends (its last newline, or its size cap) is cut there, so
 * the bytes after it (a `put`'s file, say) reach the state that reads them
 * instead of being taken for part of the request, whatever the cuts.
 */
import { ChunkReader } from './chunk-reader';

export class TextRequestReader extends ChunkReader {
  /** Bytes of the request still to come before its end is known by size. */
  private budget: number;
  private newlines: number;

  constructor(lines: number, maxRequest: number) {
    super();
    this.newlines = lines;
    this.budget = maxRequest;
  }

  override push(chunk: Buffer): void {
    if (this.budget === 0 || this.newlines === 0) return super.push(chunk);
    let end = 0;
    while (end < chunk.length && end < this.budget && this.newlines > 0) {
      if (chunk[end] === 0x0a) this.newlines--;
      end++;
    }
    this.budget -= end;
    if (this.newlines === 0) this.budget = 0;
    super.push(chunk.subarray(0, end));
    super.push(chunk.subarray(end));
  }
}
