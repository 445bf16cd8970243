/**
 * The frames two wirestate peers add to the transfer protocol (docs/protocol-extensions.md): the
 * hello and its reply, and the lowercase ops and `t` that mark the extension grammar. Pure encode
 * and decode, like frames.ts.
 */
import { NAME_FIELD_SIZE, OP, REQUEST_SIZE, STATUS, toSafeSize } from './frames';

/** Extension ops: lowercase, so an original server drops them and an original client never sends them. */
export const EXT_OP = { hello: 0x68, download: 0x64, upload: 0x75, list: 0x6c } as const; // 'h' 'd' 'u' 'l'
/** The extension grammar's "yes": a reply starting with it is followed by the agreed extension frames. */
export const EXT_YES = 0x74; // 't'
/** First byte of HELLO_REPLY: not T, F or E, so no plain reply can be mistaken for it. */
export const HELLO_REPLY_MARK = 0x68; // 'h'
export const HELLO_REPLY_SIZE = 16;
/** DOWNLOAD_REPLY_X: 't' + u64 size + u64 mtime in ms. */
export const EXT_DOWNLOAD_REPLY_SIZE = 17;
export const EXTENSION_VERSION = 1;
/**
 * How long a client waits for a HELLO_REPLY before it sends the plain request (W in the document):
 * the hello's way through a stammering proxy (up to about 0.5 s) plus the original's 1 s select tick,
 * so the original has read the hello on its own before the request's first byte reaches it.
 */
export const HELLO_WAIT_MS = 2000;
/** HELLO_REPLY's "no upload size limit". */
const NO_LIMIT = 0xffffffffffffffffn;

/** Capabilities as HELLO words and HELLO_REPLY bits. */
export const CAPABILITY = { stored: 1, sha256: 2, list: 4, resume: 8 } as const;
export type CapabilityName = keyof typeof CAPABILITY;
/** What this wirestate implements: a server offers all of it, a client asks for it (less `sha256` with `--no-verify`). */
export const IMPLEMENTED = CAPABILITY.stored | CAPABILITY.sha256 | CAPABILITY.list | CAPABILITY.resume;
const NAMES = Object.keys(CAPABILITY) as CapabilityName[];

/** The plain op an extension op stands for, or undefined for a plain (or unknown) op. */
export function plainOpOf(op: number): number | undefined {
  if (op === EXT_OP.download) return OP.download;
  if (op === EXT_OP.upload) return OP.upload;
  return undefined;
}

/** The capability bits both sides have; `resume` only with `sha256`, which is what proves a resumed file whole. */
export const agreed = (offered: number, own: number) => {
  const both = offered & own;
  return both & CAPABILITY.sha256 ? both : both & ~CAPABILITY.resume;
};

export const hasCapability = (bits: number, name: CapabilityName) => (bits & CAPABILITY[name]) !== 0;

/** The capability names in `bits`, for logs and traces. */
export const capabilityNames = (bits: number) => NAMES.filter((name) => hasCapability(bits, name));

/** HELLO: op 'h', then `wirestate/1` and the offered capability words, NUL-padded. */
export function encodeHello(capabilities: number): Buffer {
  const words = [`wirestate/${EXTENSION_VERSION}`, ...capabilityNames(capabilities)].join(' ');
  const frame = Buffer.alloc(REQUEST_SIZE);
  frame[0] = EXT_OP.hello;
  frame.write(words, 1, NAME_FIELD_SIZE, 'ascii');
  return frame;
}

/** The hello's words as capability bits; undefined when its first word is not `wirestate/<n>`. */
export function decodeHello(frame: Buffer): { version: number; capabilities: number } | undefined {
  const words = frame
    .subarray(1, REQUEST_SIZE)
    .toString('latin1')
    .replace(/\0+$/, '')
    .split(' ')
    .filter((word) => word !== '');
  const version = /^wirestate\/([1-9][0-9]{0,2})$/.exec(words[0] ?? '');
  if (!version) return undefined;
  const capabilities = words
    .slice(1)
    .reduce(
      (bits, word) => bits | (NAMES.includes(word as CapabilityName) ? CAPABILITY[word as CapabilityName] : 0),
      0,
    );
  return { version: Number(version[1]), capabilities };
}

export interface HelloReply {
  version: number;
  /** The capabilities both sides have. */
  capabilities: number;
  /** The server's largest upload; Number.MAX_SAFE_INTEGER for no limit. */
  maxUploadSize: number;
  /** Seconds an interrupted resumable upload is kept. */
  keepPartialSeconds: number;
}

export function encodeHelloReply(reply: HelloReply): Buffer {
  const frame = Buffer.alloc(HELLO_REPLY_SIZE);
  frame[0] = HELLO_REPLY_MARK;
  frame[1] = reply.version;
  frame.writeUInt16BE(reply.capabilities, 2);
  frame.writeBigUInt64BE(reply.maxUploadSize >= Number.MAX_SAFE_INTEGER ? NO_LIMIT : BigInt(reply.maxUploadSize), 4);
  frame.writeUInt32BE(reply.keepPartialSeconds, 12);
  return frame;
}

export function decodeHelloReply(frame: Buffer): HelloReply {
  return {
    version: frame[1],
    capabilities: frame.readUInt16BE(2),
    maxUploadSize: toSafeSize(frame.readBigUInt64BE(4)),
    keepPartialSeconds: frame.readUInt32BE(12),
  };
}

/** DOWNLOAD_REPLY_X: 't' + u64 size + u64 mtime in ms (what a resume checks the file against). */
export function encodeExtDownloadReply(size: number, mtimeMs: number): Buffer {
  const frame = Buffer.alloc(EXT_DOWNLOAD_REPLY_SIZE);
  frame[0] = EXT_YES;
  frame.writeBigUInt64BE(BigInt(size), 1);
  frame.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(mtimeMs))), 9);
  return frame;
}

export function decodeExtDownloadReply(frame: Buffer): { size: number; mtimeMs: number } {
  return { size: toSafeSize(frame.readBigUInt64BE(1)), mtimeMs: toSafeSize(frame.readBigUInt64BE(9)) };
}

/** The one-byte "yes" of the grammar a request chose: 't' to an extension request, 'T' to a plain one. */
export const encodeYes = (extended: boolean) => Buffer.of(extended ? EXT_YES : STATUS.yes);

/** STORED_REPLY after an extension upload: `t` stored and durable, `C` not stored, its DIGEST did not match. */
export const STORED = { yes: EXT_YES, digestMismatch: 0x43 } as const; // 't', 'C'

/** Whether an extension request on a connection that agreed `bits` ends its upload with a STORED_REPLY. */
export const confirmsStored = (extended: boolean, bits: number | undefined) =>
  extended && hasCapability(bits ?? 0, 'stored');

/** Whether an extension request on a connection that agreed `bits` follows each file's DATA with its DIGEST. */
export const checksDigest = (extended: boolean, bits: number | undefined) =>
  extended && hasCapability(bits ?? 0, 'sha256');

/** DIGEST: the SHA-256 of a file's DATA, right after it. */
export const DIGEST_SIZE = 32;
