/**
 * Fault injection for tests, the queue's twin of src/storage/delayed-commits.ts: every message's store
 * begins `delayMs` after its last byte has arrived, so a test can kill the server in the window between
 * the last byte and the store (the same `WIRESTATE_TEST_COMMIT_DELAY_MS`, read by the queue server
 * command; unset, nothing changes).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { COMMIT_DELAY_VARIABLE } from '../../src/storage/delayed-commits';
import type { MessageStore } from './message-store';

/** `store` with the delay the environment asks for, if any; every other call goes straight to `store`. */
export function withTestEnqueueDelay(store: MessageStore, env = process.env): MessageStore {
  const delayMs = Number(env[COMMIT_DELAY_VARIABLE] ?? 0);
  if (!(delayMs > 0)) return store;
  return {
    enqueue: async (bytes) => {
      await sleep(delayMs);
      await store.enqueue(bytes);
    },
    take: () => store.take(),
    confirm: (id) => store.confirm(id),
    restore: (id) => store.restore(id),
  };
}
