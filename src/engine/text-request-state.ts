/**
 * The state in which a server reads an unframed text request (the rule in
 * text-request.ts), for any protocol's machine: chunks are gathered, and the
 * request moves on at its last newline, at the size cap, when the client
 * ends its side, or after a quiet period once it has started. Before the
 * first byte, the idle timeout applies instead.
 */
import { READING_TAG } from './protocol';
import { DEFAULT_QUIET_MS, readLines } from './text-request';
import type { StateTarget } from './state-targets';

/** What a machine reading a text request keeps in its context. */
export interface TextRequestContext {
  /** The request's bytes so far, never more than `maxRequest`. */
  request: Buffer;
  maxRequest: number;
  quietMs?: number;
}

/** Appends a chunk, keeping at most `maxRequest` bytes: the cap completes the request, it does not refuse it. */
export const appendToRequest = (context: TextRequestContext, bytes: Buffer) => ({
  request: Buffer.concat([context.request, bytes.subarray(0, context.maxRequest - context.request.length)]),
});

/** The guards and the delay the state uses, for a request of `lines` lines; spread into the machine's `setup`. */
export function textRequestRules(lines: number) {
  return {
    guards: {
      requestComplete: ({ context }: { context: TextRequestContext }) =>
        context.request.length >= context.maxRequest || readLines(context.request, lines).complete,
      requestStarted: ({ context }: { context: TextRequestContext }) => context.request.length > 0,
    },
    quiet: ({ context }: { context: TextRequestContext }) => context.quietMs ?? DEFAULT_QUIET_MS,
  };
}

/**
 * The state `self`, which goes to `next` once the request is complete and to
 * `failed` (with `finish` timed_out) when the client sends nothing at all.
 * The machine provides the `appendRequest` and `finish` actions and the
 * `quiet` and `idle` delays.
 */
export function readsTextRequest(self: string, next: string, failed: StateTarget) {
  return {
    tags: READING_TAG,
    always: { guard: 'requestComplete' as const, target: next },
    after: {
      quiet: { guard: 'requestStarted' as const, target: next },
      idle: { target: failed, actions: { type: 'finish' as const, params: { outcome: 'timed_out' as const, detail: 'nothing from the client for the idle timeout' } } },
    },
    on: {
      'frame.bytes': { target: self, reenter: true, actions: { type: 'appendRequest' as const, params: ({ event }: { event: { bytes: Buffer } }) => ({ bytes: event.bytes }) } },
      'socket.end': next,
    },
  };
}
