/**
 * An effect asked within the step that enters a state, for an effect that usually answers at once (a queue in
 * memory) and sometimes later (the same queue on disk, once its write is synced). The answer is kept in the
 * machine's context, and the state's `always` branches go on from it: an answer given at once takes them in
 * the same step, with no child actor, no event and no second step (what `fromAnswer` costs, from-answer.ts). A
 * promise's answer comes back later as the event `answer.settled`, which the state keeps in context, and
 * the same branches then go on from it. A machine stopped meanwhile ignores it.
 */
import type { AnyActorRef } from 'xstate';

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

export type StepAnswer<Output = unknown> =
  { kind: 'waiting' } | { kind: 'done'; output: Output } | { kind: 'failed'; error: unknown };

/** What an effect's later answer comes back to its machine as. */
export interface AnswerSettled {
  type: 'answer.settled';
  answer: StepAnswer;
}

const WAITING: StepAnswer<never> = { kind: 'waiting' };

/**
 * Asks `effect` now: its answer, or its failure (a throw does not leave the caller), or `waiting` while its
 * promise runs, whose answer then goes to `later`. What `askWithinStep` and `fromAnswer` (from-answer.ts) share.
 */
export function answerNow<Output>(
  effect: () => Output | PromiseLike<Output>,
  later: (answer: StepAnswer<Output>) => void,
): StepAnswer<Output> {
  let value: Output | PromiseLike<Output>;
  try {
    value = effect();
  } catch (error) {
    return { kind: 'failed', error };
  }
  if (!isPromiseLike(value)) return { kind: 'done', output: value };
  value.then(
    (output) => later({ kind: 'done', output }),
    (error: unknown) => later({ kind: 'failed', error }),
  );
  return WAITING;
}

/** `answerNow` for a machine's step: a later answer comes back to `self` as `answer.settled`. */
export const askWithinStep = <Output>(effect: () => Output | PromiseLike<Output>, self: AnyActorRef) =>
  answerNow(effect, (answer) => self.send({ type: 'answer.settled', answer } satisfies AnswerSettled));

/** The state's branches: what the kept answer says. */
export const answerDone = ({ context }: { context: { answer?: StepAnswer } }) => context.answer?.kind === 'done';
export const answerFailed = ({ context }: { context: { answer?: StepAnswer } }) => context.answer?.kind === 'failed';

/** The error a failed answer carries (only asked once `answerFailed` holds). */
export const answerError = (answer: StepAnswer | undefined): unknown =>
  answer?.kind === 'failed' ? answer.error : undefined;
