/**
 * Trace support for protocols whose bytes are text with no framing of their
 * own (the lab's exercises, share): each chunk is shown as a short quote, and
 * the machine that recorded a trace is rebuilt by the protocol from the
 * trace's header input (and, where it needs a world, from the trace itself).
 */
import type { AnyStateMachine } from 'xstate';
import type { ConnectionSpec } from '../engine/protocol';
import type { Trace } from './trace-format';
import type { FrameNamer, TraceSupport } from './trace-support';
import type { TraceInputs } from './trace-problems';

const PREVIEW = 40;

/** A chunk as a person reads it: quoted text (cut at 40 characters), or its size when it is not text. */
export const previewChunk: FrameNamer = (_direction, chunk) => {
  const text = chunk.toString('utf8');
  if (text.includes('\uFFFD') || /[\x00-\x08\x0e-\x1f]/.test(text)) return [`${chunk.length} B`];
  return [
    text.length > PREVIEW ? `${JSON.stringify(text.slice(0, PREVIEW))}... (${chunk.length} B)` : JSON.stringify(text),
  ];
};

export interface TextTraceRoles {
  server(trace: Trace): ConnectionSpec;
  client(trace: Trace): ConnectionSpec;
  machines: { server: AnyStateMachine; client: AnyStateMachine };
  inputs: TraceInputs;
}

/** What the one-shot text client (src/engine/text-client.ts) needs of its input. */
export const TEXT_CLIENT_INPUTS = { lines: 'array', maxReply: 'number' } as const;

export function textTraceSupport(roles: TextTraceRoles): TraceSupport {
  return {
    nameFrames: () => previewChunk,
    specFromTrace: (trace) => (trace.header.role === 'client' ? roles.client(trace) : roles.server(trace)),
    machines: roles.machines,
    inputs: roles.inputs,
  };
}
