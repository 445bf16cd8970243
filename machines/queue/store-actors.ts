/**
 * The queue's store as the effects its TCP and UDP server machines declare:
 * actors for the calls whose answer the machine waits for, and `restore`, the
 * action that puts a taken message back.
 */
import { fromPromise } from 'xstate';
import { unprovided } from '../../src/engine/unprovided';
import type { MessageStore, TakenMessage } from './message-store';

/** What a server machine's setup() declares; `storeEffects` supplies it. */
export const storeDeclarations = {
  actors: {
    enqueue: fromPromise<void, Buffer>(unprovided('enqueue')),
    take: fromPromise<TakenMessage | undefined>(unprovided('take')),
    confirm: fromPromise<void, number>(unprovided('confirm')),
  },
  actions: { restore: unprovided('restore') },
};

/** For `machine.provide(storeEffects(store))`. */
export function storeEffects(store: MessageStore) {
  return {
    actors: {
      enqueue: fromPromise<void, Buffer>(({ input }) => store.enqueue(input)),
      take: fromPromise<TakenMessage | undefined>(async () => store.take()),
      confirm: fromPromise<void, number>(({ input }) => store.confirm(input)),
    },
    actions: {
      restore: ({ context }: { context: { taken?: TakenMessage } }) => context.taken && store.restore(context.taken.id),
    },
  };
}
