/**
 * Incremental reader for the transfer protocol: turns any chunking of the
 * inbound stream into frame events. Each side's inbound grammar follows from
 * the bytes themselves (and, for the client, the operation it chose and
 * whether it said hello), so the reader never needs to ask the machine what
 * comes next: the server reads the extension grammar after a lowercase op, the
 * client after a reply starting with `t` (docs/protocol-extensions.md).
 */
import { ByteQueue } from '../../src/engine/byte-queue';
import type { FrameDecoder } from '../../src/engine/protocol';
import {
  DOWNLOAD_REPLY_SIZE,
  OP,
  REQUEST_SIZE,
  STATUS,
  STATUS_SIZE,
  UPLOAD_SIZE_SIZE,
  decodeDownloadReply,
  decodeRequest,
  decodeUploadSize,
  type NameField,
} from './frames';
import {
  DIGEST_SIZE,
  EXT_DOWNLOAD_REPLY_SIZE,
  EXT_OP,
  EXT_YES,
  HELLO_REPLY_MARK,
  HELLO_REPLY_SIZE,
  agreed,
  decodeExtDownloadReply,
  decodeHello,
  decodeHelloReply,
  hasCapability,
  plainOpOf,
  type HelloReply,
} from './extension-frames';
import {
  RESUME_OP,
  RESUME_REPLY_SIZE,
  RESUME_REQUEST_SIZE,
  UPLOAD_FROM_SIZE,
  UPLOAD_RESUME_REPLY_SIZE,
  decodeResumeFrom,
  decodeResumeReply,
  decodeUploadFrom,
  decodeUploadOpen,
  decodeUploadResumeReply,
  type ResumeFrom,
  type UploadOpen,
} from './resume-frames';
import { LIST_CHUNK_HEADER_SIZE } from './list-frames';

export type InboundFrame =
  /** A HELLO; `version` 0 when its words are not a wirestate hello. */
  | { type: 'frame.hello'; version: number; capabilities: number }
  /**
   * A REQUEST; `extended` when its op was the lowercase extension op (`op` is then the plain one); a
   * resume op (`r`, `p`) carries the frame right behind it: `resumeFrom` or `uploadOpen`.
   */
  | {
      type: 'frame.request';
      op: number;
      name: NameField;
      extended?: true;
      resumeFrom?: ResumeFrom;
      uploadOpen?: UploadOpen;
    }
  | { type: 'frame.confirm'; status: number }
  | { type: 'frame.upload_size'; size: number }
  | { type: 'frame.hello_reply'; reply: HelloReply }
  /** `start`: a RESUME_REPLY's, where the DATA begins in the file. */
  | { type: 'frame.download_reply'; status: number; size: number; extended?: true; mtimeMs?: number; start?: number }
  /** `start`: an UPLOAD_RESUME_REPLY's, the bytes the server kept. */
  | { type: 'frame.upload_reply'; status: number; extended?: true; start?: number }
  /** UPLOAD_FROM: where the client's DATA begins, after an UPLOAD_RESUME_REPLY. */
  | { type: 'frame.upload_from'; start: number }
  | { type: 'frame.upload_size_reply'; status: number }
  | { type: 'frame.data'; chunk: Buffer }
  | { type: 'frame.data_end' }
  /** The SHA-256 of the file just sent, after its DATA (both agreed `sha256`). */
  | { type: 'frame.digest'; sha256: Buffer }
  /** STORED_REPLY after an extension upload (both agreed `stored`). */
  | { type: 'frame.stored_reply'; status: number }
  /** LIST_REPLY `t` to an `l` request: LIST_CHUNKs follow. */
  | { type: 'frame.list_reply'; status: number }
  /** A LIST_CHUNK's header: `length` bytes of entries follow as DATA; 0 ends the listing (then `frame.data_end`). */
  | { type: 'frame.list_chunk'; length: number }
  | { type: 'frame.unexpected'; length: number };

type FixedFrame =
  | 'request'
  | 'confirm'
  | 'upload_size'
  | 'download_reply'
  | 'upload_reply'
  | 'upload_size_reply'
  | 'digest'
  | 'stored_reply'
  | 'upload_from'
  | 'list_reply'
  | 'list_chunk';

/** `data`'s `chunked`: the bytes are one LIST_CHUNK's, whose end is not the DATA's end (no `frame.data_end`). */
type Step =
  { expect: FixedFrame } | { expect: 'data'; remaining: number; then: Step; chunked?: true } | { expect: 'nothing' };

const NOTHING: Step = { expect: 'nothing' };

/** Which side reads: the server, or a client that sent a download, upload or list request. */
export type ReaderRole = 'server' | 'download' | 'upload' | 'list';

export interface ReaderOptions {
  /** A client that sends a HELLO first: the first reply may be a HELLO_REPLY. */
  hello?: boolean;
  /** A server's own capabilities: a HELLO's offer is cut to them. */
  capabilities?: number;
  /** A client that asks with `r` or `p` once `resume` is agreed: its replies are the resume ones. */
  resumes?: boolean;
}

const FIRST_STEP: Record<ReaderRole, Step> = {
  server: { expect: 'request' },
  download: { expect: 'download_reply' },
  upload: { expect: 'upload_reply' },
  list: { expect: 'list_reply' },
};

export class TransferFrameReader implements FrameDecoder<InboundFrame> {
  private readonly queue = new ByteQueue();
  private step: Step;
  private helloReplyDue: boolean;
  /** The capabilities both sides have, once a HELLO (server) or HELLO_REPLY (client) is read. */
  private agreed = 0;
  private extended = false;
  /** The size a `p` request announced: its DATA is that less the UPLOAD_FROM. */
  private uploadSize = 0;

  constructor(
    role: ReaderRole,
    private readonly options: ReaderOptions = {},
  ) {
    this.step = FIRST_STEP[role];
    this.helloReplyDue = options.hello === true;
  }

  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): void {
    this.queue.push(chunk);
  }

  keep(memory: ArrayBufferLike): void {
    this.queue.keep(memory);
  }

  /** The next complete frame, or undefined when more bytes are needed. */
  next(): InboundFrame | undefined {
    const step = this.step;
    if (step.expect === 'nothing') {
      const length = this.queue.clear();
      return length > 0 ? { type: 'frame.unexpected', length } : undefined;
    }
    if (step.expect === 'data') {
      if (step.remaining === 0) {
        this.step = step.then;
        return step.chunked ? this.next() : { type: 'frame.data_end' };
      }
      if (this.queue.length === 0) return undefined;
      const chunk = this.queue.takeUpTo(step.remaining);
      this.step = { ...step, remaining: step.remaining - chunk.length };
      return { type: 'frame.data', chunk };
    }
    const first = this.queue.peek();
    if (first === undefined) return undefined;
    if (this.helloReplyDue && first === HELLO_REPLY_MARK && step.expect !== 'request') {
      if (this.queue.length < HELLO_REPLY_SIZE) return undefined;
      this.helloReplyDue = false;
      const reply = decodeHelloReply(this.queue.take(HELLO_REPLY_SIZE));
      this.agreed = reply.capabilities;
      return { type: 'frame.hello_reply', reply };
    }
    const size = this.sizeOf(step.expect, first);
    if (this.queue.length < size) return undefined;
    return this.decode(step.expect, this.queue.take(size));
  }

  /** A client that asked with `r` or `p`: it said so, and the hello reply agreed `resume`. */
  private get resuming(): boolean {
    return this.options.resumes === true && hasCapability(this.agreed, 'resume');
  }

  private sizeOf(expect: FixedFrame, first: number): number {
    switch (expect) {
      case 'request':
        return first === RESUME_OP.download || first === RESUME_OP.upload ? RESUME_REQUEST_SIZE : REQUEST_SIZE;
      case 'upload_size':
        return UPLOAD_SIZE_SIZE;
      case 'upload_from':
        return UPLOAD_FROM_SIZE;
      case 'download_reply':
        if (!this.options.hello || first !== EXT_YES) return DOWNLOAD_REPLY_SIZE;
        return this.resuming ? RESUME_REPLY_SIZE : EXT_DOWNLOAD_REPLY_SIZE;
      case 'upload_reply':
        return this.resuming && first === EXT_YES ? UPLOAD_RESUME_REPLY_SIZE : STATUS_SIZE;
      case 'digest':
        return DIGEST_SIZE;
      // After a hello the server did not answer in time, the plain DOWNLOAD_REPLY to the farewell `D`.
      case 'list_reply':
        return first === EXT_YES ? STATUS_SIZE : DOWNLOAD_REPLY_SIZE;
      case 'list_chunk':
        return LIST_CHUNK_HEADER_SIZE;
      default:
        return STATUS_SIZE;
    }
  }

  /** What follows a file's DATA: its DIGEST when the extension grammar has `sha256`, else nothing. */
  private afterData(): Step {
    return this.extended && hasCapability(this.agreed, 'sha256') ? { expect: 'digest' } : NOTHING;
  }

  private decode(expect: FixedFrame, frame: Buffer): InboundFrame {
    switch (expect) {
      case 'request':
        return this.decodeRequest(frame);
      case 'confirm':
        this.step = NOTHING;
        return { type: 'frame.confirm', status: frame[0] };
      case 'upload_size': {
        const size = decodeUploadSize(frame);
        this.step = { expect: 'data', remaining: size, then: this.afterData() };
        return { type: 'frame.upload_size', size };
      }
      case 'download_reply':
        return this.decodeDownloadReply(frame);
      case 'upload_reply': {
        if (frame.length === UPLOAD_RESUME_REPLY_SIZE) return this.decodeUploadResumeReply(frame);
        this.extended = this.options.hello === true && frame[0] === EXT_YES;
        const status = this.extended ? STATUS.yes : frame[0];
        this.step = status === STATUS.yes ? { expect: 'upload_size_reply' } : NOTHING;
        return { type: 'frame.upload_reply', status, ...(this.extended && { extended: true as const }) };
      }
      case 'upload_size_reply': {
        const status = this.extended && frame[0] === EXT_YES ? STATUS.yes : frame[0];
        this.step =
          this.extended && status === STATUS.yes && hasCapability(this.agreed, 'stored')
            ? { expect: 'stored_reply' }
            : NOTHING;
        return { type: 'frame.upload_size_reply', status };
      }
      case 'digest':
        this.step = NOTHING;
        return { type: 'frame.digest', sha256: Buffer.from(frame) };
      case 'stored_reply':
        this.step = NOTHING;
        return { type: 'frame.stored_reply', status: frame[0] };
      case 'upload_from': {
        const start = decodeUploadFrom(frame);
        this.step = { expect: 'data', remaining: Math.max(0, this.uploadSize - start), then: this.afterData() };
        return { type: 'frame.upload_from', start };
      }
      case 'list_reply':
        if (frame.length === DOWNLOAD_REPLY_SIZE) return this.decodeDownloadReply(frame);
        this.step = { expect: 'list_chunk' };
        return { type: 'frame.list_reply', status: frame[0] };
      case 'list_chunk': {
        const length = frame.readUInt32BE(0);
        this.step =
          length === 0
            ? { expect: 'data', remaining: 0, then: NOTHING }
            : { expect: 'data', remaining: length, then: { expect: 'list_chunk' }, chunked: true };
        return { type: 'frame.list_chunk', length };
      }
    }
  }

  /** The `p` upload's yes: the DATA from `start` on goes out, then the STORED_REPLY (if agreed) comes. */
  private decodeUploadResumeReply(frame: Buffer): InboundFrame {
    this.extended = true;
    this.step = hasCapability(this.agreed, 'stored') ? { expect: 'stored_reply' } : NOTHING;
    return { type: 'frame.upload_reply', status: STATUS.yes, extended: true, ...decodeUploadResumeReply(frame) };
  }

  private decodeRequest(frame: Buffer): InboundFrame {
    if (frame[0] === EXT_OP.hello) {
      const hello = decodeHello(frame);
      this.agreed = agreed(hello?.capabilities ?? 0, this.options.capabilities ?? 0);
      return { type: 'frame.hello', version: hello?.version ?? 0, capabilities: hello?.capabilities ?? 0 };
    }
    if (frame[0] === RESUME_OP.download || frame[0] === RESUME_OP.upload) return this.decodeResumeRequest(frame);
    const request = decodeRequest(frame);
    const plainOp = plainOpOf(request.op);
    this.extended = plainOp !== undefined || request.op === EXT_OP.list;
    const op = plainOp ?? request.op;
    this.step = op === OP.download ? { expect: 'confirm' } : op === OP.upload ? { expect: 'upload_size' } : NOTHING;
    return { type: 'frame.request', op, name: request.name, ...(this.extended && { extended: true as const }) };
  }

  /** `r` or `p` and the frame right behind it; read in the grammar of the download or upload they resume. */
  private decodeResumeRequest(frame: Buffer): InboundFrame {
    this.extended = true;
    const { name } = decodeRequest(frame.subarray(0, REQUEST_SIZE));
    const behind = frame.subarray(REQUEST_SIZE);
    if (frame[0] === RESUME_OP.download) {
      this.step = { expect: 'confirm' };
      return { type: 'frame.request', op: OP.download, name, extended: true, resumeFrom: decodeResumeFrom(behind) };
    }
    const uploadOpen = decodeUploadOpen(behind);
    this.uploadSize = uploadOpen.size;
    this.step = { expect: 'upload_from' };
    return { type: 'frame.request', op: OP.upload, name, extended: true, uploadOpen };
  }

  private decodeDownloadReply(frame: Buffer): InboundFrame {
    if (frame.length === RESUME_REPLY_SIZE) {
      this.extended = true;
      const reply = decodeResumeReply(frame);
      this.step = { expect: 'data', remaining: Math.max(0, reply.size - reply.start), then: this.afterData() };
      return { type: 'frame.download_reply', status: STATUS.yes, ...reply, extended: true };
    }
    if (frame.length === EXT_DOWNLOAD_REPLY_SIZE) {
      this.extended = true;
      const reply = decodeExtDownloadReply(frame);
      this.step = { expect: 'data', remaining: reply.size, then: this.afterData() };
      return { type: 'frame.download_reply', status: STATUS.yes, ...reply, extended: true };
    }
    const reply = decodeDownloadReply(frame);
    this.step = reply.status === STATUS.yes ? { expect: 'data', remaining: reply.size, then: NOTHING } : NOTHING;
    return { type: 'frame.download_reply', ...reply };
  }
}
