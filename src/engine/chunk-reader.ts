/**
 * The frame decoder of protocols with no framing of their own (the queue, the
 * lab exercises): every chunk read becomes a `frame.bytes` event, and the
 * machine decides, with the protocol's pure codec, where a request ends.
 */
import type { FrameDecoder } from './protocol';

export type BytesFrame = { type: 'frame.bytes'; bytes: Buffer };

export class ChunkReader implements FrameDecoder<BytesFrame> {
  private readonly queue: Buffer[] = [];
  private bytes = 0;

  get buffered(): number {
    return this.bytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.queue.push(chunk);
    this.bytes += chunk.length;
  }

  next(): BytesFrame | undefined {
    const chunk = this.queue.shift();
    if (chunk === undefined) return undefined;
    this.bytes -= chunk.length;
    return { type: 'frame.bytes', bytes: chunk };
  }
}
