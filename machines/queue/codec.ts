/**
 * The queue's wire format (seed 001, PROTOCOLS-OTHER.md): a request starting
 * with `<<GET>>` asks for the oldest message, anything else is a message. The
 * replies to a GET on an empty queue differ between TCP and UDP.
 */
import { isUtf8 } from 'node:buffer';

export const GET = Buffer.from('<<GET>>');
export const EMPTY_TCP = Buffer.from('Error - no messages in queue.');
export const EMPTY_UDP = Buffer.from('Error: No messages.');
/**
 * The default cap on a stored message. The seed assumed at most 3000 bytes but
 * its own examples are larger on the wire (message2: 3000 characters plus the
 * client's newline; message3: over 3000), so the cap only bounds memory.
 */
export const DEFAULT_MAX_MESSAGE = 1024 * 1024;
/** The seed README's port. */
export const QUEUE_PORT = 55556;

const CR = 0x0d;
const LF = 0x0a;

/**
 * What the seed's client sends for a file, so both clients put the same bytes on
 * the wire: the file read as text (CRLF and CR become LF) plus `\n`, in UTF-8. An
 * empty file is the single byte `\n`. `characters` is what the original reports
 * as `Sent: N bytes` (code points, without the newline). Undefined when the
 * file is not UTF-8 text (the original crashes on it). Worked on the bytes, in
 * one copy: a string of the text (and a list of its characters) cost over ten
 * times a big message's size.
 */
export function messageFromText(file: Buffer): { bytes: Buffer; characters: number } | undefined {
  if (!isUtf8(file)) return undefined;
  const bytes = Buffer.allocUnsafe(file.length + 1);
  let length = 0;
  let from = 0;
  for (let cr = file.indexOf(CR); cr !== -1; cr = file.indexOf(CR, from)) {
    length += file.copy(bytes, length, from, cr);
    bytes[length++] = LF;
    from = file[cr + 1] === LF ? cr + 2 : cr + 1;
  }
  length += file.copy(bytes, length, from);
  bytes[length++] = LF;
  // Every code point starts with one byte that is not a continuation byte (10xxxxxx).
  let characters = -1;
  for (let at = 0; at < length; at++) if ((bytes[at] & 0xc0) !== 0x80) characters++;
  return { bytes: bytes.subarray(0, length), characters };
}

/** The request (all bytes so far) asks for a message. */
export function isGet(bytes: Buffer): boolean {
  return bytes.length >= GET.length && bytes.subarray(0, GET.length).equals(GET);
}

/** Too few bytes yet to tell a GET from a message. */
export function mayStillBeGet(bytes: Buffer): boolean {
  return bytes.length < GET.length && GET.subarray(0, bytes.length).equals(bytes);
}

/** The reply that means "no message": the client cannot tell it from a message with the same text. */
export function isEmptyReply(reply: Buffer, transport: 'tcp' | 'udp'): boolean {
  return reply.equals(transport === 'tcp' ? EMPTY_TCP : EMPTY_UDP);
}

export interface QueueDatagram {
  type: 'frame.datagram';
  bytes: Buffer;
}

export function decodeDatagram(bytes: Buffer): QueueDatagram {
  return { type: 'frame.datagram', bytes };
}
