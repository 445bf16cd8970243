/**
 * `POST /trace`: the page's "Open trace…" sends a recorded trace's text and gets it back read (trace-view.ts).
 * Whatever arrives, the reply is one: 200 with the trace read, 400 with what is wrong in one line, 413 when it is
 * too big to read (the rest of it read and dropped for up to a second, then the connection closed); a client that
 * leaves mid-upload gets nothing. No body can stop the inspector or the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceSupport } from '../trace/trace-support';
import { readTrace } from './trace-view';

/** The largest trace the page may send to be read. */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;
/** How long the rest of a body too big to read is read and dropped before its connection is closed. */
const DRAIN_MS = 1000;

/** Answers one upload of a trace in `request`'s body. */
export function answerTraceUpload(
  request: IncomingMessage,
  response: ServerResponse,
  protocols: Record<string, TraceSupport>,
  limit = MAX_TRACE_BYTES,
): void {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    refuseTooBig(request, response, limit);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) refuseTooBig(request, response, limit);
    else chunks.push(chunk);
  });
  request.on('end', () => {
    if (response.headersSent) return;
    const reply = readUpload(Buffer.concat(chunks), protocols);
    response.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
  });
  // A client gone mid-upload: nothing to answer, and the socket is already closed.
  request.on('error', () => undefined);
}

function readUpload(body: Buffer, protocols: Record<string, TraceSupport>) {
  const failed = (reason: string) => ({ status: 400, type: 'text/plain; charset=utf-8', body: `${reason}\n` });
  if (body.length === 0) return failed('the upload is empty: send the text of a trace file written by --record');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return failed('the upload is not UTF-8 text: send a trace file written by --record');
  }
  try {
    return { status: 200, type: 'application/json', body: JSON.stringify(readTrace(text, protocols)) };
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * 413, with the connection left open: a socket closed with the client's bytes unread would be reset, and the reset
 * can reach the client before the reply it has not read yet. So the rest of the body is read and dropped for up to
 * `DRAIN_MS`, and then the connection is closed, whether or not the client has stopped sending.
 */
function refuseTooBig(request: IncomingMessage, response: ServerResponse, limit: number): void {
  if (response.headersSent) return;
  const reason = Buffer.from(`the trace is over ${limit / 1024 / 1024} MiB, more than the inspector reads\n`);
  response.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', 'content-length': reason.length }).end(reason);
  request.removeAllListeners('data').resume();
  setTimeout(() => request.socket.destroy(), DRAIN_MS).unref();
}
