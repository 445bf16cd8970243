/**
 * The queue's wire format (seed 001, PROTOCOLS-OTHER.md): a request starting
 * with `<<GET>>` asks for the oldest message, anything else is a message. The
 * replies to a GET on an empty queue differ between TCP and UDP.
 */
export const GET = Buffer.from('<<GET>>');
export const EMPTY_TCP = Buffer.from('Error - no messages in queue.');
export const EMPTY_UDP = Buffer.from('Error: No messages.');
/** The seed's assumed largest message; the default cap. */
export const DEFAULT_MAX_MESSAGE = 3000;
/** The seed README's port. */
export const QUEUE_PORT = 55556;

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

export type QueueDatagram = { type: 'frame.datagram'; bytes: Buffer };

export function decodeDatagram(bytes: Buffer): QueueDatagram {
  return { type: 'frame.datagram', bytes };
}
