/**
 * The transfer protocol's frames (shared/PROTOCOL.md): pure encode and decode,
 * no sockets, no machines. Integers are unsigned big-endian.
 */
import { WirestateError, type NameErrorCode } from '../../src/storage/errors';

export const REQUEST_SIZE = 256;
export const NAME_FIELD_SIZE = REQUEST_SIZE - 1;
export const DOWNLOAD_REPLY_SIZE = 9;
export const STATUS_SIZE = 1;
export const UPLOAD_SIZE_SIZE = 8;

/** Operation byte of a REQUEST. */
export const OP = { download: 0x44, upload: 0x55 } as const; // 'D', 'U'
/** Status byte of every reply and of DOWNLOAD_CONFIRM. */
export const STATUS = { yes: 0x54, no: 0x46, error: 0x45 } as const; // 'T', 'F', 'E'
export type Status = (typeof STATUS)[keyof typeof STATUS];

/**
 * A decoded file name, or why the bytes are not one; `shown`: bytes that are not UTF-8 as a log line shows them
 * (each bad sequence as U+FFFD), so that the request's line still says which name it was.
 */
export type NameField = { ok: true; name: string } | { ok: false; code: NameErrorCode; shown?: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/** REQUEST: op byte + the name in UTF-8, right-padded with NUL to 255 bytes. */
export function encodeRequest(op: number, name: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length === 0) throw new WirestateError('name.empty', 'the file name is empty');
  if (nameBytes.length > NAME_FIELD_SIZE) {
    throw new WirestateError(
      'name.too_long',
      `the file name is ${nameBytes.length} bytes; the protocol carries at most ${NAME_FIELD_SIZE}`,
    );
  }
  if (nameBytes.includes(0)) throw new WirestateError('name.nul', 'the file name contains a NUL byte');
  const frame = Buffer.alloc(REQUEST_SIZE);
  frame[0] = op;
  nameBytes.copy(frame, 1);
  return frame;
}

/** The bytes Python's `bytes.strip()` removes: ASCII white space only. */
const ASCII_SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/**
 * Reads the name field as the original server does: every NUL byte removed (padding or not), then
 * ASCII white space trimmed at both ends; so `"  up.bin \t"` and `"up\0.bin"` both name `up.bin`.
 * The jail's checks come after, on the name this gives.
 */
export function decodeName(field: Buffer): NameField {
  const kept = withoutNul(field);
  let start = 0;
  let end = kept.length;
  while (start < end && ASCII_SPACE.has(kept[start])) start++;
  while (end > start && ASCII_SPACE.has(kept[end - 1])) end--;
  if (start === end) return { ok: false, code: 'name.empty' };
  const name = kept.subarray(start, end);
  try {
    return { ok: true, name: strictUtf8.decode(name) };
  } catch {
    return { ok: false, code: 'name.encoding', shown: lossyUtf8.decode(name) };
  }
}

/**
 * `field` without its NUL bytes. The usual field is a name and then only NUL padding: that is a view of the name,
 * found without a call per byte (a per-byte filter of the 255-byte field cost a small download's machine 1.7%).
 */
function withoutNul(field: Buffer): Uint8Array {
  let end = field.length;
  while (end > 0 && field[end - 1] === 0) end--;
  const name = field.subarray(0, end);
  return name.includes(0) ? name.filter((byte) => byte !== 0) : name;
}

/** Whether a request naming `name` reaches that very name: false for what decodeName would trim or refuse. */
export function requestCarries(name: string): boolean {
  const decoded = decodeName(Buffer.from(name, 'utf8'));
  return decoded.ok && decoded.name === name;
}

export function decodeRequest(frame: Buffer): { op: number; name: NameField } {
  return { op: frame[0], name: decodeName(frame.subarray(1, REQUEST_SIZE)) };
}

/** DOWNLOAD_REPLY: status + u64 size (0 unless the status is T). */
export function encodeDownloadReply(status: Status, size: number): Buffer {
  const frame = Buffer.alloc(DOWNLOAD_REPLY_SIZE);
  frame[0] = status;
  frame.writeBigUInt64BE(BigInt(size), 1);
  return frame;
}

export function decodeDownloadReply(frame: Buffer): { status: number; size: number } {
  return { status: frame[0], size: toSafeSize(frame.readBigUInt64BE(1)) };
}

/** The one-byte frames: DOWNLOAD_CONFIRM, UPLOAD_REPLY, UPLOAD_SIZE_REPLY. */
export function encodeStatus(status: Status): Buffer {
  return Buffer.of(status);
}

/** UPLOAD_SIZE: u64 size of the DATA that follows. */
export function encodeUploadSize(size: number): Buffer {
  const frame = Buffer.alloc(UPLOAD_SIZE_SIZE);
  frame.writeBigUInt64BE(BigInt(size));
  return frame;
}

export function decodeUploadSize(frame: Buffer): number {
  return toSafeSize(frame.readBigUInt64BE(0));
}

/** Sizes beyond 2^53 cannot be counted exactly in JS; they saturate and are refused upstream. */
export function toSafeSize(size: bigint): number {
  return size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(size);
}

/** A status byte as the letter people read in logs and traces. */
export function statusLetter(status: number): string {
  return status >= 0x20 && status < 0x7f ? String.fromCharCode(status) : `0x${status.toString(16).padStart(2, '0')}`;
}
