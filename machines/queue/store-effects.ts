/**
 * The queue's store as the effects its TCP and UDP server machines declare: the calls they make within the
 * step that enters a state, their answer kept as `answer` (step-answer.ts: at once in memory, once synced on
 * disk), and `restore`, the action that puts a taken message back.
 */
import { assign, type EventObject } from 'xstate';
import { askWithinStep, type AnswerSettled, type StepAnswer } from '../../src/engine/step-answer';
import { required } from '../../src/engine/required';
import { unprovided } from '../../src/engine/unprovided';
import type { MessageStore, TakenMessage } from './message-store';

/** What the store's calls read and keep in a server machine's context. */
export interface StoreContext {
  taken?: TakenMessage;
  answer?: StepAnswer;
}

/** What a server machine's setup() declares, for its own context and events; `storeEffects` supplies the store's part. */
export function storeDeclarations<TContext extends StoreContext, TEvent extends EventObject>() {
  const unanswered = (effect: string) => assign<TContext, TEvent, undefined, TEvent, never>(unprovided(effect));
  return {
    /** Keeps the message `params.bytes`. */
    askEnqueue: assign<TContext, TEvent, { bytes: Buffer }, TEvent, never>(unprovided('askEnqueue')),
    /** Takes the oldest message into `taken` (undefined when the queue is empty; the store answers at once). */
    askTake: unanswered('askTake'),
    /** Tells the store the taken message was sent. */
    askConfirm: unanswered('askConfirm'),
    restore: unprovided('restore'),
    /** A later answer (`answer.settled`) kept, so that the state that asked goes on from it. */
    keepAnswer: assign<TContext, TEvent, undefined, TEvent, never>(({ event }) => {
      const kept: Partial<TContext> = {};
      kept.answer = (event as Partial<AnswerSettled>).answer;
      return kept;
    }),
  };
}

/** For `machine.provide(storeEffects(store))`, typed for that machine's context and events. */
export function storeEffects<TContext extends StoreContext, TEvent extends EventObject>(store: MessageStore) {
  const asked = <TParams>(effect: (context: TContext, params: TParams) => unknown) =>
    assign<TContext, TEvent, TParams, TEvent, never>(({ context, self }, params) => {
      const kept: Partial<TContext> = {};
      kept.answer = askWithinStep(() => effect(context, params), self);
      return kept;
    });
  return {
    actions: {
      askEnqueue: asked((_, params: { bytes: Buffer }) => store.enqueue(params.bytes)),
      askTake: assign<TContext, TEvent, undefined, TEvent, never>(({ self }) => {
        const kept: Partial<TContext> = {};
        kept.answer = askWithinStep(() => store.take(), self);
        kept.taken = kept.answer.kind === 'done' ? (kept.answer.output as TakenMessage | undefined) : undefined;
        return kept;
      }),
      askConfirm: asked((context) => store.confirm(required(context.taken, 'taken message').id)),
      restore: ({ context }: { context: TContext }) => context.taken && store.restore(context.taken.id),
    },
  };
}
