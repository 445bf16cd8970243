/**
 * The queue's store as the effects its TCP and UDP server machines declare:
 * actors for the calls whose answer the machine waits for, and `restore`, the
 * action that puts a taken message back.
 */
import { fromAnswer } from '../../src/engine/from-answer';
import { unprovided } from '../../src/engine/unprovided';
import type { MessageStore, TakenMessage } from './message-store';

/** The store calls a server machine waits on: what each takes and what it settles with. */
interface StoreCalls {
  enqueue: (bytes: Buffer) => Promise<void>;
  take: () => TakenMessage | undefined;
  confirm: (id: number) => Promise<void>;
}

// fromAnswer, not fromPromise: no AbortController per call, and `take` answers within the step that asked.
const storeActors = (calls: StoreCalls) => ({
  enqueue: fromAnswer(calls.enqueue),
  take: fromAnswer(calls.take),
  confirm: fromAnswer(calls.confirm),
});

/** What a server machine's setup() declares; `storeEffects` supplies it. */
export const storeDeclarations = {
  actors: storeActors({ enqueue: unprovided('enqueue'), take: unprovided('take'), confirm: unprovided('confirm') }),
  actions: { restore: unprovided('restore') },
};

/** For `machine.provide(storeEffects(store))`. */
export function storeEffects(store: MessageStore) {
  return {
    actors: storeActors({
      enqueue: (bytes) => store.enqueue(bytes),
      take: () => store.take(),
      confirm: (id) => store.confirm(id),
    }),
    actions: {
      restore: ({ context }: { context: { taken?: TakenMessage } }) => context.taken && store.restore(context.taken.id),
    },
  };
}
