/** The queue's operations as xstate actors, shared by the TCP and UDP server machines. */
import { fromPromise } from 'xstate';
import type { MessageStore, TakenMessage } from './message-store';

export function storeActors(store: MessageStore) {
  return {
    enqueue: fromPromise<void, Buffer>(({ input }) => store.enqueue(input)),
    take: fromPromise<TakenMessage | undefined>(async () => store.take()),
    confirm: fromPromise<void, number>(({ input }) => store.confirm(input)),
  };
}
