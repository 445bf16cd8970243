/**
 * The frames of the `resume` extension (docs/protocol-extensions.md, "Resume"): the `r` download that
 * says how much of the file the client already has, and the `p` upload that a server keeps when it is
 * interrupted. Pure encode and decode, like frames.ts and extension-frames.ts.
 */
import { REQUEST_SIZE, toSafeSize } from './frames';
import { EXT_YES } from './extension-frames';

/** Resume ops: lowercase, after a hello that agreed `resume` only. */
export const RESUME_OP = { download: 0x72, upload: 0x70 } as const; // 'r' 'p'

/** RESUME_FROM, right behind an `r` REQUEST: u64 offset + u64 size + u64 mtime in ms. */
export const RESUME_FROM_SIZE = 24;
/** UPLOAD_OPEN, right behind a `p` REQUEST: u64 size + the 16-byte upload id. */
export const UPLOAD_OPEN_SIZE = 24;
export const UPLOAD_ID_SIZE = 16;
/** A resume REQUEST and the frame right behind it, read as one. */
export const RESUME_REQUEST_SIZE = REQUEST_SIZE + 24;
/** RESUME_REPLY: 't' + u64 size + u64 mtime + u64 start. */
export const RESUME_REPLY_SIZE = 25;
/** UPLOAD_RESUME_REPLY: 't' + u64 start; a refusal is the one byte `F` or `E`. */
export const UPLOAD_RESUME_REPLY_SIZE = 9;
/** UPLOAD_FROM: u64, the start the client heard, right before the DATA. */
export const UPLOAD_FROM_SIZE = 8;

/** What a client has of an interrupted download: `offset` bytes of the file that had `size` and `mtimeMs`. */
export interface ResumeFrom {
  offset: number;
  size: number;
  mtimeMs: number;
}

/** What a client says of the file it uploads: its size and the id that finds an interrupted upload of it. */
export interface UploadOpen {
  size: number;
  /** 32 hex digits. */
  id: string;
}

const u64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(value))));
  return bytes;
};
const readU64 = (frame: Buffer, at: number) => toSafeSize(frame.readBigUInt64BE(at));

export const encodeResumeFrom = ({ offset, size, mtimeMs }: ResumeFrom) =>
  Buffer.concat([u64(offset), u64(size), u64(mtimeMs)]);

export const decodeResumeFrom = (frame: Buffer): ResumeFrom => ({
  offset: readU64(frame, 0),
  size: readU64(frame, 8),
  mtimeMs: readU64(frame, 16),
});

export const encodeUploadOpen = ({ size, id }: UploadOpen) => Buffer.concat([u64(size), Buffer.from(id, 'hex')]);

export const decodeUploadOpen = (frame: Buffer): UploadOpen => ({
  size: readU64(frame, 0),
  id: frame.subarray(8, 8 + UPLOAD_ID_SIZE).toString('hex'),
});

/** The server's answer to `r`: the file as it is now, and where its DATA starts (0: from the beginning). */
export const encodeResumeReply = (size: number, mtimeMs: number, start: number) =>
  Buffer.concat([Buffer.of(EXT_YES), u64(size), u64(mtimeMs), u64(start)]);

export const decodeResumeReply = (frame: Buffer) => ({
  size: readU64(frame, 1),
  mtimeMs: readU64(frame, 9),
  start: readU64(frame, 17),
});

/** The server's yes to `p`: the bytes it kept of an earlier attempt, where the client's DATA starts. */
export const encodeUploadResumeReply = (start: number) => Buffer.concat([Buffer.of(EXT_YES), u64(start)]);

export const decodeUploadResumeReply = (frame: Buffer) => ({ start: readU64(frame, 1) });

export const encodeUploadFrom = (start: number) => u64(start);
export const decodeUploadFrom = (frame: Buffer) => readU64(frame, 0);

/**
 * Where a resumed download may start: at the client's offset if the file is still the one it was
 * fetching (same size and mtime) and the offset lies within it, else at 0.
 */
export const resumeStart = (from: ResumeFrom, size: number, mtimeMs: number) =>
  from.size === size && from.mtimeMs === Math.floor(mtimeMs) && from.offset <= size ? from.offset : 0;
