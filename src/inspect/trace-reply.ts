/** The reply to one uploaded trace (trace-upload.ts): 200 with the trace read (trace-view.ts), or 400 saying why not. */
import type { TraceSupport } from '../trace/trace-support';
import { readTrace } from './trace-view';

export interface TraceReply {
  status: number;
  type: string;
  body: string;
}

export function traceReply(body: Uint8Array, protocols: Record<string, TraceSupport>): TraceReply {
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
