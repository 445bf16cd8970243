/**
 * Incremental reader for the transfer protocol: turns any chunking of the
 * inbound stream into frame events. Each side's inbound grammar follows from
 * the bytes themselves (and, for the client, the operation it chose), so the
 * reader never needs to ask the machine what comes next.
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

export type InboundFrame =
  | { type: 'frame.request'; op: number; name: NameField }
  | { type: 'frame.confirm'; status: number }
  | { type: 'frame.upload_size'; size: number }
  | { type: 'frame.download_reply'; status: number; size: number }
  | { type: 'frame.upload_reply'; status: number }
  | { type: 'frame.upload_size_reply'; status: number }
  | { type: 'frame.data'; chunk: Buffer }
  | { type: 'frame.data_end' }
  | { type: 'frame.unexpected'; length: number };

type Step =
  | { expect: 'request' | 'confirm' | 'upload_size' | 'download_reply' | 'upload_reply' | 'upload_size_reply' }
  | { expect: 'data'; remaining: number }
  | { expect: 'nothing' };

const FRAME_SIZE = {
  request: REQUEST_SIZE,
  confirm: STATUS_SIZE,
  upload_size: UPLOAD_SIZE_SIZE,
  download_reply: DOWNLOAD_REPLY_SIZE,
  upload_reply: STATUS_SIZE,
  upload_size_reply: STATUS_SIZE,
} as const;

/** Which side reads: the server, or a client that sent a download or upload request. */
export type ReaderRole = 'server' | 'download' | 'upload';

const FIRST_STEP: Record<ReaderRole, Step> = {
  server: { expect: 'request' },
  download: { expect: 'download_reply' },
  upload: { expect: 'upload_reply' },
};

export class TransferFrameReader implements FrameDecoder<InboundFrame> {
  private readonly queue = new ByteQueue();
  private step: Step;

  constructor(role: ReaderRole) {
    this.step = FIRST_STEP[role];
  }

  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): void {
    this.queue.push(chunk);
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
        this.step = { expect: 'nothing' };
        return { type: 'frame.data_end' };
      }
      if (this.queue.length === 0) return undefined;
      const chunk = this.queue.takeUpTo(step.remaining);
      this.step = { expect: 'data', remaining: step.remaining - chunk.length };
      return { type: 'frame.data', chunk };
    }
    if (this.queue.length < FRAME_SIZE[step.expect]) return undefined;
    return this.decode(step.expect, this.queue.take(FRAME_SIZE[step.expect]));
  }

  private decode(expect: keyof typeof FRAME_SIZE, frame: Buffer): InboundFrame {
    switch (expect) {
      case 'request': {
        const request = decodeRequest(frame);
        this.step =
          request.op === OP.download
            ? { expect: 'confirm' }
            : request.op === OP.upload
              ? { expect: 'upload_size' }
              : { expect: 'nothing' };
        return { type: 'frame.request', ...request };
      }
      case 'confirm':
        this.step = { expect: 'nothing' };
        return { type: 'frame.confirm', status: frame[0] };
      case 'upload_size': {
        const size = decodeUploadSize(frame);
        this.step = { expect: 'data', remaining: size };
        return { type: 'frame.upload_size', size };
      }
      case 'download_reply': {
        const reply = decodeDownloadReply(frame);
        this.step = reply.status === STATUS.yes ? { expect: 'data', remaining: reply.size } : { expect: 'nothing' };
        return { type: 'frame.download_reply', ...reply };
      }
      case 'upload_reply':
        this.step = frame[0] === STATUS.yes ? { expect: 'upload_size_reply' } : { expect: 'nothing' };
        return { type: 'frame.upload_reply', status: frame[0] };
      case 'upload_size_reply':
        this.step = { expect: 'nothing' };
        return { type: 'frame.upload_size_reply', status: frame[0] };
    }
  }
}
