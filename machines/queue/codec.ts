/**
 * The queue's wire format (seed 001, PROTOCOLS-OTHER.md): a request starting
 * with `<<GET>>` asks for the oldest message, anything else is a message. The
 * replies to a GET on an empty queue differ between TCP and UDP.
 */
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

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * What the seed's client sends for a file, so both clients put the same bytes on
 * the wire: the file read as text (CRLF and CR become LF) plus `\n`, in UTF-8. An
 * empty file is the single byte `\n`. `characters` is what the original reports
 * as `Sent: N bytes` (code points, without the newline). Undefined when the
 * file is not UTF-8 text (the original crashes on it).
 */
export function messageFromText(file: Buffer): { bytes: Buffer; characters: number } | undefined {
  let text: string;
  try {
    text = utf8.decode(file).replace(/\r\n?/g, '\n');
  } catch {
    return undefined;
  }
  // Characters are code points, as the seed's Python client counts them (len(str)).
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what is counted
  return { bytes: Buffer.from(`${text}\n`), characters: [...text].length };
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
