/**
 * The state in which a server reads an unframed text request (the rule in
 * text-request.ts), for any protocol's machine: it keeps the request as
 * `TextRequestReader` parsed it, and moves on once the reader says it is
 * complete (its last newline, the size cap), when the client ends its side,
 * or after a quiet period once it has started. Before the first byte, the
 * idle timeout applies instead.
 */
import { READING_TAG } from './protocol';
import { idleDelay } from './idle';
import { DEFAULT_QUIET_MS } from './text-request';
import { emptyRequest, type ParsedTextRequest, type TextRequestFrame } from './text-request-reader';
import type { StateTarget } from './state-targets';

/** What a machine reading a text request keeps in its context. */
export interface TextRequestContext {
  /** The request as read so far. */
  request: ParsedTextRequest;
  quietMs?: number;
}

/** The guards, the delay and the action the state uses, for a request of `lines` lines; spread into the machine's `setup`. */
export function textRequestRules(lines: number) {
  return {
    initialRequest: emptyRequest(lines),
    guards: {
      requestComplete: ({ context }: { context: TextRequestContext }) => context.request.complete,
      requestStarted: ({ context }: { context: TextRequestContext }) => context.request.size > 0,
    },
    quiet: ({ context }: { context: TextRequestContext }) => context.quietMs ?? DEFAULT_QUIET_MS,
    idle: idleDelay,
  };
}

/** The `takeRequest` action's update: the request as the reader last gave it. */
export const takeRequest = (_: unknown, params: { request?: ParsedTextRequest }) =>
  params.request ? { request: params.request } : {};

/**
 * The state `self`, which goes to `next` once the request is complete and to
 * `failed` (with `finish` timed_out) when the client sends nothing at all.
 * The machine provides the `takeRequest` and `finish` actions and the
 * `quiet` and `idle` delays (`textRequestRules`).
 */
export function readsTextRequest(self: string, next: string, failed: StateTarget) {
  return {
    tags: READING_TAG,
    always: { guard: 'requestComplete' as const, target: next },
    // Its own idle timer, not the connection's watchdog (idle-watchdog.ts): the quiet period may be as long, and
    // then the quiet period, listed first, must end a started request before the idle timeout ends it.
    after: {
      quiet: { guard: 'requestStarted' as const, target: next },
      idle: {
        target: failed,
        actions: {
          type: 'finish' as const,
          params: {
            outcome: 'timed_out' as const,
            code: 'peer.idle' as const,
            detail: 'nothing from the client for the idle timeout',
          },
        },
      },
    },
    on: {
      'frame.bytes': {
        target: self,
        reenter: true,
        actions: {
          type: 'takeRequest' as const,
          params: ({ event }: { event: TextRequestFrame }) => ({ request: event.request }),
        },
      },
      'socket.end': next,
    },
  };
}
