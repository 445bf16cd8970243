/**
 * `POST /trace`: the page's "Open trace…" sends a recorded trace's text and gets it back read (trace-view.ts).
 * Whatever arrives, the reply is one: 200 with the trace read, 400 with what is wrong in one line, 413 when it is
 * too big to read; a client that leaves mid-upload gets nothing. No body can stop the inspector or the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceSupport } from '../trace/trace-support';
import { readTrace } from './trace-view';

/** The largest trace the page may send to be read. */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;

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

/** 413, then the connection closed: the rest of the body is not read. */
function refuseTooBig(request: IncomingMessage, response: ServerResponse, limit: number): void {
  if (response.headersSent) return;
  request.pause();
  response
    .writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
    .end(`the trace is over ${limit / 1024 / 1024} MiB, more than the inspector reads\n`, () => request.destroy());
}
