/**
 * The queue's store as the effects its TCP and UDP server machines declare:
 * actors for the calls whose answer the machine waits for, and `restore`, the
 * action that puts a taken message back.
 */
import { fromPromise } from 'xstate';
import { unprovided } from '../../src/engine/unprovided';
import type { MessageStore, TakenMessage } from './message-store';

/** The store calls a server machine waits on: what each takes and what it settles with. */
interface StoreCalls {
  enqueue: (args: { input: Buffer }) => Promise<void>;
  take: () => Promise<TakenMessage | undefined>;
  confirm: (args: { input: number }) => Promise<void>;
}

const storeActors = (calls: StoreCalls) => ({
  enqueue: fromPromise(calls.enqueue),
  take: fromPromise(calls.take),
  confirm: fromPromise(calls.confirm),
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
      enqueue: ({ input }) => store.enqueue(input),
      take: async () => store.take(),
      confirm: ({ input }) => store.confirm(input),
    }),
    actions: {
      restore: ({ context }: { context: { taken?: TakenMessage } }) => context.taken && store.restore(context.taken.id),
    },
  };
}
