/**
 * The frame decoders of ardei's advanced variant. Both read the 19-byte key
 * first (`frame.key`). The server's then cuts the stream into commands
 * (`frame.command`) at each `929Z`, as the original client ends them, or at
 * each newline, as a person typing into `nc` does. The client's splits
 * replies where `replyEnd` says (`frame.reply`) and, after a `dl` answer,
 * passes exactly the announced bytes on as `frame.data` then
 * `frame.data_end`: never by read boundaries.
 */
import type { EventObject } from 'xstate';
import { ByteQueue } from '../../src/engine/byte-queue';
import type { FrameDecoder } from '../../src/engine/protocol';
import { DELIMITER, KEY_LENGTH, announcedSize, replyEnd } from './advanced-codec';

interface KeyFrame {
  type: 'frame.key';
}

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

export interface CommandFrame {
  type: 'frame.command';
  text: string;
}
export type AdvancedRequestFrame = KeyFrame | CommandFrame;

export class AdvancedRequestReader extends KeyFirst<CommandFrame> {
  /** `maxCommand`: a longer command is cut there, whatever comes after. */
  constructor(private readonly maxCommand: number) {
    super();
  }

  protected afterKey(): CommandFrame | undefined {
    // An end past the cap does not count, so the cuts of the stream never change the commands.
    const within = (at: number) => (at <= this.maxCommand ? at : -1);
    for (;;) {
      const delimiter = within(this.pending.indexOf(DELIMITER));
      const newline = within(this.pending.indexOf(0x0a));
      if (delimiter >= 0 && (newline < 0 || delimiter < newline)) {
        // `929Z` and a newline are one end, as the original takes them.
        const after = delimiter + DELIMITER.length;
        return this.take(delimiter, this.pending[after] === 0x0a ? after + 1 : after);
      }
      if (newline >= 0) {
        // A person's line, less its CR; a blank one (Enter alone) asks nothing.
        const line = this.take(this.pending[newline - 1] === 0x0d ? newline - 1 : newline, newline + 1);
        if (line.text !== '') return line;
        continue;
      }
      // No end can come within the cap now: the command ends at the cap.
      if (this.pending.length >= this.maxCommand + DELIMITER.length) return this.take(this.maxCommand, this.maxCommand);
      return undefined;
    }
  }

  /** The command is the bytes before `end`; the stream goes on at `next`. */
  private take(end: number, next: number): CommandFrame {
    const text = this.pending.toString('utf8', 0, end);
    this.pending = this.pending.subarray(next);
    return { type: 'frame.command', text };
  }
}

export type AdvancedReplyFrame =
  KeyFrame | { type: 'frame.reply'; text: string } | { type: 'frame.data'; chunk: Buffer } | { type: 'frame.data_end' };

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
    if (this.fileLeft !== undefined) return this.nextOfFile(this.fileLeft);
    const end = replyEnd(this.pending);
    if (end === undefined) return undefined;
    const text = this.pending.toString('utf8', 0, end - DELIMITER.length);
    this.pending = this.pending.subarray(end);
    this.fileLeft = announcedSize(text)?.size;
    if (this.fileLeft !== undefined) {
      this.file.push(this.pending);
      this.pending = Buffer.alloc(0);
    }
    return { type: 'frame.reply', text };
  }

  /** `left`: the file's bytes not yet handed on. */
  private nextOfFile(left: number): Exclude<AdvancedReplyFrame, KeyFrame> | undefined {
    if (left === 0) {
      this.fileLeft = undefined;
      // What came after the file is the next reply's text.
      this.pending = this.file.take(this.file.length);
      return { type: 'frame.data_end' };
    }
    if (this.file.length === 0) return undefined;
    const chunk = this.file.takeUpTo(left);
    this.fileLeft = left - chunk.length;
    return { type: 'frame.data', chunk };
  }
}
