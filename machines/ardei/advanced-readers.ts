/**
 * The frame decoders of ardei's advanced variant. Both read the 19-byte key
 * first (`frame.key`). The server's then cuts the stream after each newline,
 * so one frame never carries the end of one command and the start of the
 * next. The client's splits replies at `929Z` (`frame.reply`) and, after a
 * `dl` answer, passes exactly the announced bytes on as `frame.data` then
 * `frame.data_end`: never by read boundaries.
 */
import type { EventObject } from 'xstate';
import { ByteQueue } from '../../src/engine/byte-queue';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import type { FrameDecoder } from '../../src/engine/protocol';
import { DELIMITER, KEY_LENGTH, announcedSize } from './advanced-codec';

type KeyFrame = { type: 'frame.key' };

/** Takes the key off the front of the stream; what follows is the subclass's. */
abstract class KeyFirst<E extends EventObject> implements FrameDecoder<E | KeyFrame> {
  /** Text not yet framed: the key, a command or a reply (short). */
  protected pending: Buffer = Buffer.alloc(0);
  private keyRead = false;

  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  next(): E | KeyFrame | undefined {
    if (this.keyRead) return this.afterKey();
    if (this.pending.length < KEY_LENGTH) return undefined;
    this.keyRead = true;
    this.pending = this.pending.subarray(KEY_LENGTH);
    return { type: 'frame.key' };
  }

  protected abstract afterKey(): E | undefined;
}

export type AdvancedRequestFrame = KeyFrame | BytesFrame;

export class AdvancedRequestReader extends KeyFirst<BytesFrame> {
  protected afterKey(): BytesFrame | undefined {
    if (this.pending.length === 0) return undefined;
    const end = this.pending.indexOf(0x0a) + 1 || this.pending.length;
    const bytes = this.pending.subarray(0, end);
    this.pending = this.pending.subarray(end);
    return { type: 'frame.bytes', bytes };
  }
}

export type AdvancedReplyFrame = KeyFrame | { type: 'frame.reply'; text: string } | { type: 'frame.data'; chunk: Buffer } | { type: 'frame.data_end' };

export class AdvancedReplyReader extends KeyFirst<Exclude<AdvancedReplyFrame, KeyFrame>> {
  /** A `dl` file's bytes, queued without copying while the machine is busy with the disk. */
  private readonly file = new ByteQueue();
  /** Bytes of that file still to pass on, or undefined between replies. */
  private fileLeft?: number;

  override get buffered(): number {
    return this.pending.length + this.file.length;
  }

  override push(chunk: Buffer): void {
    if (this.fileLeft === undefined) super.push(chunk);
    else this.file.push(chunk);
  }

  protected afterKey(): Exclude<AdvancedReplyFrame, KeyFrame> | undefined {
    if (this.fileLeft !== undefined) return this.nextOfFile();
    const end = this.pending.indexOf(DELIMITER);
    if (end < 0) return undefined;
    const text = this.pending.toString('utf8', 0, end);
    this.pending = this.pending.subarray(end + DELIMITER.length);
    this.fileLeft = announcedSize(text)?.size;
    if (this.fileLeft !== undefined) {
      this.file.push(this.pending);
      this.pending = Buffer.alloc(0);
    }
    return { type: 'frame.reply', text };
  }

  private nextOfFile(): Exclude<AdvancedReplyFrame, KeyFrame> | undefined {
    if (this.fileLeft === 0) {
      this.fileLeft = undefined;
      // What came after the file is the next reply's text.
      this.pending = this.file.take(this.file.length);
      return { type: 'frame.data_end' };
    }
    if (this.file.length === 0) return undefined;
    const chunk = this.file.takeUpTo(this.fileLeft!);
    this.fileLeft! -= chunk.length;
    return { type: 'frame.data', chunk };
  }
}
