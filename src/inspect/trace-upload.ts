/**
 * `POST /trace`: the page's "Open trace…" sends a recorded trace's text and gets it back read (trace-reply.ts).
 * Whatever arrives, the reply is one: 200 with the trace read, 400 with what is wrong in one line, 413 as soon as
 * the body passes `MAX_TRACE_BYTES` (the rest is not kept), 415 for a body not sent as the page sends it, 503 while
 * another trace is being read (one at a time, so uploads at once cannot add up); a client that leaves mid-upload
 * gets nothing. The trace is read in a worker thread, so no body holds up the inspector or the server's protocols.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { refuse } from './refusal';
import type { TraceReply } from './trace-reply';

/** The largest trace the page may send to be read. */
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;
/** How the page sends a trace: a type no page of another site can send without the inspector's consent (preflight). */
export const TRACE_TYPE = 'application/jsonl';

const READER = join(__dirname, 'trace-read-worker.js');

/** Answers uploads of traces, one at a time. */
export function traceUploads(limit = MAX_TRACE_BYTES): (request: IncomingMessage, response: ServerResponse) => void {
  let reading = false;
  return (request, response) => {
    if (request.headers['content-type']?.split(';')[0].trim().toLowerCase() !== TRACE_TYPE) {
      refuse(request, response, 415, `send the trace's text as ${TRACE_TYPE}, as the inspector page does`);
      return;
    }
    if (Number(request.headers['content-length']) > limit) {
      refuse(request, response, 413, tooBig(limit));
      return;
    }
    if (reading) {
      refuse(request, response, 503, 'another trace is being read: open this one when it is done');
      return;
    }
    reading = true;
    response.on('close', () => (reading = false));
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0; // what came is not kept past the refusal
      refuse(request, response, 413, tooBig(limit));
    });
    request.on('end', () => {
      if (!response.headersSent) readInWorker(Buffer.concat(chunks), response);
    });
    // A client gone mid-upload: nothing to answer, and the socket is already closed.
    request.on('error', () => undefined);
  };
}

const tooBig = (limit: number) => `the trace is over ${limit / 1024 / 1024} MiB, more than the inspector reads`;

function readInWorker(body: Buffer, response: ServerResponse): void {
  // A bound on the reader's heap too: a 32 MiB trace of the smallest entries takes about 400 MB to read.
  const worker = new Worker(READER, { workerData: body, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  // A client gone before the reply: its trace is no longer read.
  response.on('close', () => void worker.terminate());
  worker.once('message', (reply: TraceReply) => {
    response.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
    void worker.terminate();
  });
  worker.once('error', (error) => {
    if (!response.headersSent)
      response
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`the trace could not be read: ${error.message}\n`);
  });
}
