/**
 * The share client's frame decoder. For `put` and `get` the server first
 * answers `pass` or `cancel`; after `pass`, everything up to the server's
 * close is the file, even when it arrives in the same read as `pass` (the
 * original client's bug). A listing is all data.
 */
import { ByteQueue } from '../../src/engine/byte-queue';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import type { FrameDecoder } from '../../src/engine/protocol';
import { CANCEL, PASS } from './codec';

export type ShareReplyFrame =
  { type: 'frame.pass' } | { type: 'frame.cancel' } | { type: 'frame.bad'; detail: string } | BytesFrame;

export class ShareReplyReader implements FrameDecoder<ShareReplyFrame> {
  /** The answer word so far. */
  private head = Buffer.alloc(0);
  private readonly data = new ByteQueue();
  private phase: 'answer' | 'data' | 'done';

  constructor(expect: 'answer' | 'listing') {
    this.phase = expect === 'answer' ? 'answer' : 'data';
  }

  get buffered(): number {
    return this.head.length + this.data.length;
  }

  push(chunk: Buffer): void {
    if (this.phase === 'answer') this.head = Buffer.concat([this.head, chunk]);
    else if (this.phase === 'data') this.data.push(chunk);
  }

  next(): ShareReplyFrame | undefined {
    if (this.phase === 'data') {
      return this.data.length > 0 ? { type: 'frame.bytes', bytes: this.data.takeUpTo(this.data.length) } : undefined;
    }
    if (this.phase === 'done') return undefined;
    const word = this.head[0] === PASS[0] ? PASS : CANCEL;
    const seen = this.head.subarray(0, word.length);
    if (!word.subarray(0, seen.length).equals(seen))
      return this.end({
        type: 'frame.bad',
        detail: `not pass or cancel: ${JSON.stringify(this.head.toString('utf8', 0, 20))}`,
      });
    if (seen.length < word.length) return undefined;
    if (word === CANCEL) return this.end({ type: 'frame.cancel' });
    this.phase = 'data';
    this.data.push(this.head.subarray(PASS.length));
    this.head = Buffer.alloc(0);
    return { type: 'frame.pass' };
  }

  private end(frame: ShareReplyFrame): ShareReplyFrame {
    this.phase = 'done';
    this.head = Buffer.alloc(0);
    return frame;
  }
}
