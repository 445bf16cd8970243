/**
 * A refusal with the request's body unread. A socket closed with the client's bytes unread would be reset, and the
 * reset can reach the client before the reply it has not read yet; so the rest of the body is read and dropped (not
 * kept) for up to `DRAIN_MS`, and then the connection is closed, whether or not the client has stopped sending;
 * the reply says so (`connection: close`), so no further request is sent on it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const DRAIN_MS = 1000;

/** Answers `status` with `reason` (one line), drops the rest of the body, and closes the connection after. */
export function refuse(request: IncomingMessage, response: ServerResponse, status: number, reason: string): void {
  if (response.headersSent) return;
  const text = Buffer.from(`${reason}\n`);
  // `connection: close`: the client (a browser, an agent keeping sockets alive) must not send its next request on a
  // connection about to be closed under it.
  response
    .writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': text.length,
      connection: 'close',
    })
    .end(text);
  request.removeAllListeners('data').resume();
  setTimeout(() => request.socket.destroy(), DRAIN_MS).unref();
}
