/**
 * The blocks client's frame decoder: the answer line first, then exactly the
 * announced number of file bytes as `frame.data` chunks and `frame.data_end`,
 * so the machine never has to tell header from file bytes, whatever the cuts.
 */
import { ByteQueue } from '../../src/engine/byte-queue';
import type { FrameDecoder } from '../../src/engine/protocol';
import { MAX_HEADER, parseHeader } from './codec';

export type BlocksReplyFrame =
  | { type: 'frame.ok'; size: number }
  | { type: 'frame.err'; reason: string }
  | { type: 'frame.bad'; detail: string }
  | { type: 'frame.data'; chunk: Buffer }
  | { type: 'frame.data_end' };

export class BlocksReplyReader implements FrameDecoder<BlocksReplyFrame> {
  /** The answer line so far: whole chunks, until its newline. */
  private header = Buffer.alloc(0);
  private readonly queue = new ByteQueue();
  private phase: 'header' | 'data' | 'after' = 'header';
  private remaining = 0;

  get buffered(): number {
    return this.header.length + this.queue.length;
  }

  push(chunk: Buffer): void {
    if (this.phase === 'header') this.header = Buffer.concat([this.header, chunk]);
    else this.queue.push(chunk);
  }

  next(): BlocksReplyFrame | undefined {
    if (this.phase === 'header') return this.nextHeader();
    if (this.phase === 'data') {
      if (this.remaining === 0) {
        this.phase = 'after';
        return { type: 'frame.data_end' };
      }
      if (this.queue.length === 0) return undefined;
      const chunk = this.queue.takeUpTo(this.remaining);
      this.remaining -= chunk.length;
      return { type: 'frame.data', chunk };
    }
    if (this.queue.length === 0) return undefined;
    return { type: 'frame.bad', detail: `${this.queue.clear()} bytes after the announced size` };
  }

  private nextHeader(): BlocksReplyFrame | undefined {
    const newline = this.header.indexOf(0x0a);
    if (newline < 0 && this.header.length <= MAX_HEADER) return undefined;
    const line =
      newline < 0 || newline > MAX_HEADER ? undefined : this.header.toString('utf8', 0, newline).replace(/\r$/, '');
    this.queue.push(this.header.subarray(newline + 1));
    this.header = Buffer.alloc(0);
    const header =
      line === undefined
        ? { kind: 'bad' as const, detail: `no answer line in the first ${MAX_HEADER} bytes` }
        : parseHeader(line);
    if (header.kind === 'ok') {
      this.phase = 'data';
      this.remaining = header.size;
      return { type: 'frame.ok', size: header.size };
    }
    this.phase = 'after';
    this.queue.clear();
    return header.kind === 'err'
      ? { type: 'frame.err', reason: header.reason }
      : { type: 'frame.bad', detail: header.detail };
  }
}
