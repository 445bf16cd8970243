/**
 * A refusal with the request's body unread. A socket closed with the client's bytes unread would be reset, and the
 * reset can reach the client before the reply it has not read yet; so the rest of the body is read and dropped (not
 * kept) for up to `DRAIN_MS`, and then the connection is closed if the client is still sending; once the body has
 * ended, the connection stays as any other.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const DRAIN_MS = 1000;

/** Answers `status` with `reason` (one line), drops the rest of the body, and closes a connection still sending it after a second. */
export function refuse(request: IncomingMessage, response: ServerResponse, status: number, reason: string): void {
  if (response.headersSent) return;
  const text = Buffer.from(`${reason}\n`);
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': text.length }).end(text);
  request.removeAllListeners('data').resume();
  const closing = setTimeout(() => request.socket.destroy(), DRAIN_MS).unref();
  // A body read to its end leaves the connection as any other: a client keeping it alive (a browser) may send its
  // next request on it, which a close a second later would cut off mid-upload.
  if (request.readableEnded) clearTimeout(closing);
  else request.once('end', () => clearTimeout(closing));
}
