/**
 * The queue's stored confirmation between two wirestate peers over TCP
 * (docs/protocol-extensions.md, "Queue"): a server offers it to a connection
 * that stays silent after it opens (an original client never does: it speaks
 * at once), a wirestate client takes the offer by opening its message with
 * SEND_TOKEN, and the server answers STORED_TOKEN once the message is kept.
 * An original server never speaks first, so a client that hears no offer
 * within OFFER_WAIT_MS sends plainly on the same connection.
 */

/** Server to client, after OFFER_AFTER_MS of silence on a new connection. */
export const OFFER_TOKEN = Buffer.from('<<wirestate/1 stored>>');
/** Client to server, right before the message: "confirm this one". */
export const SEND_TOKEN = Buffer.from('<<wirestate/1 send>>');
/** Server to client, once the message is kept (synced to disk with --store), then the close. */
export const STORED_TOKEN = Buffer.from('<<stored>>');

/** How long a server waits for a new connection's first byte before it offers. */
export const OFFER_AFTER_MS = 200;
/** How long a client waits for the offer before it sends plainly (an original server never offers). */
export const OFFER_WAIT_MS = 1000;

/** `bytes` could still grow into `token` (shorter, and equal so far). */
export function mayStillBe(token: Buffer, bytes: Buffer): boolean {
  return bytes.length < token.length && token.subarray(0, bytes.length).equals(bytes);
}

/** `bytes` start with `token`. */
export function startsWith(token: Buffer, bytes: Buffer): boolean {
  return bytes.length >= token.length && bytes.subarray(0, token.length).equals(token);
}
