/** The frames of the tiny line protocols the loop's own tests run: the stream split at newlines. */
import { ByteQueue } from '../engine/byte-queue';
import type { FrameDecoder } from '../engine/protocol';

export interface Line {
  type: 'frame.line';
  text: string;
}

export class LineReader implements FrameDecoder<Line> {
  private readonly queue = new ByteQueue();
  private pending = '';
  get buffered() {
    return this.queue.length + this.pending.length;
  }
  push(chunk: Buffer) {
    this.queue.push(chunk);
  }
  next(): Line | undefined {
    while (!this.pending.includes('\n') && this.queue.length > 0)
      this.pending += this.queue.takeUpTo(this.queue.length).toString();
    const end = this.pending.indexOf('\n');
    if (end < 0) return undefined;
    const text = this.pending.slice(0, end);
    this.pending = this.pending.slice(end + 1);
    return { type: 'frame.line', text };
  }
}
