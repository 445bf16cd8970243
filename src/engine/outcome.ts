/**
 * How a machine records the way its session ends, the same for every protocol
 * that uses it: a `finish` action sets a short stable word and a detail, and
 * the machine's output turns them into the engine's `SessionOutcome`.
 */
import type { SessionOutcome } from './protocol';

/** Params of the `finish` action: the outcome and an optional detail (a code or reason). */
export type Finish<Outcome extends string = string> = { outcome: Outcome; detail?: string };

export interface OutcomeFields<Outcome extends string = string> extends Finish<Outcome> {
  /** Payload bytes moved. */
  bytes: number;
}

/** The machine's output, `ok` when its outcome is one of `successes`. */
export function outcomeFrom<Outcome extends string>(successes: readonly Outcome[]) {
  return (context: OutcomeFields<Outcome>, extra: Partial<SessionOutcome> = {}): SessionOutcome => ({
    ok: successes.includes(context.outcome),
    outcome: context.outcome,
    bytes: context.bytes,
    detail: context.detail,
    ...extra,
  });
}

/** The root transition of every connection machine: a broken socket ends it in `failed`, `interrupted`. */
export const interruptedOnSocketError = {
  'socket.error': { target: '.failed', actions: { type: 'finish' as const, params: ({ event }: { event: { code: string } }) => ({ outcome: 'interrupted' as const, detail: event.code }) } },
};
