/**
 * The frame decoder of servers whose request is unframed text (text-request.ts),
 * and the only place such a request is framed and read. Chunks become
 * `frame.bytes` events as with `ChunkReader`, but the chunk in which the
 * request ends (its last newline, or its size cap) is cut there, so the bytes
 * after it (a `put`'s file, say) reach the state that reads them whatever the
 * cuts; and while the request is open, each event also carries the request
 * read so far, parsed, so the machine keeps that instead of bytes to re-scan.
 * Only the machine knows the quiet period and the peer's end; the request it
 * holds then is the last one given.
 */
import type { BytesFrame } from './chunk-reader';
import type { FrameDecoder } from './protocol';

/** A text request as read so far. */
export interface ParsedTextRequest {
  /** Exactly the request's count of lines: newlines (and a CR before one) stripped, the line not yet ended as it stands, lines not begun empty. */
  lines: string[];
  /** The first line's bytes as sent, without its newline: for checks that must see bytes that are not UTF-8. */
  firstLine: Buffer;
  /** Bytes of the request read so far. */
  size: number;
  /** The request ends here: its last newline came, or it reached the size cap. */
  complete: boolean;
}

/** A chunk of the stream; `request` is set while the chunk belongs to the request. */
export type TextRequestFrame = BytesFrame & { request?: ParsedTextRequest };

/** The request before its first byte. */
export const emptyRequest = (lineCount: number): ParsedTextRequest => ({
  lines: Array<string>(lineCount).fill(''),
  firstLine: Buffer.alloc(0),
  size: 0,
  complete: false,
});

export class TextRequestReader implements FrameDecoder<TextRequestFrame> {
  private readonly frames: TextRequestFrame[] = [];
  private queued = 0;
  /** The request's bytes so far, never more than `maxRequest`. */
  private bytes = Buffer.alloc(0);
  /** The lines ended so far, and where the next one starts in `bytes`. */
  private readonly ended: string[] = [];
  private lineStart = 0;
  private firstLineEnd?: number;
  private complete = false;

  /**
   * `newlineIsText`: a newline ends nothing: the request is one line holding every byte that came before the quiet
   * period, the peer's end or the cap (ardei echoes text of several lines, as the original's one read takes them).
   */
  constructor(
    private readonly lineCount: number,
    private readonly maxRequest: number,
    private readonly newlineIsText = false,
  ) {}

  get buffered(): number {
    return this.queued;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.complete) {
      this.enqueue({ type: 'frame.bytes', bytes: chunk });
      return;
    }
    const end = this.take(chunk);
    this.enqueue({ type: 'frame.bytes', bytes: chunk.subarray(0, end), request: this.parsed() });
    if (end < chunk.length) this.push(chunk.subarray(end));
  }

  next(): TextRequestFrame | undefined {
    const frame = this.frames.shift();
    if (frame) this.queued -= frame.bytes.length;
    return frame;
  }

  /** Adds the chunk's request bytes, reading only the new ones; returns where the request's part of the chunk ends. */
  private take(chunk: Buffer): number {
    const start = this.bytes.length;
    let end = 0;
    while (end < chunk.length && start + end < this.maxRequest && this.ended.length < this.lineCount) {
      if (chunk[end++] !== 0x0a || this.newlineIsText) continue;
      const newline = start + end - 1;
      this.bytes = Buffer.concat([this.bytes, chunk.subarray(this.bytes.length - start, end)]);
      this.ended.push(this.bytes.toString('utf8', this.lineStart, newline).replace(/\r$/, ''));
      this.lineStart = newline + 1;
      this.firstLineEnd ??= newline;
    }
    this.bytes = Buffer.concat([this.bytes, chunk.subarray(this.bytes.length - start, end)]);
    this.complete = this.ended.length === this.lineCount || this.bytes.length >= this.maxRequest;
    return end;
  }

  private parsed(): ParsedTextRequest {
    const lines = [...this.ended];
    if (lines.length < this.lineCount) lines.push(this.bytes.toString('utf8', this.lineStart));
    while (lines.length < this.lineCount) lines.push('');
    return {
      lines,
      firstLine: this.bytes.subarray(0, this.firstLineEnd ?? this.bytes.length),
      size: this.bytes.length,
      complete: this.complete,
    };
  }

  private enqueue(frame: TextRequestFrame): void {
    this.frames.push(frame);
    this.queued += frame.bytes.length;
  }
}
