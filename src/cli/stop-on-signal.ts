/**
 * Ctrl-C (SIGINT) or SIGTERM on a client stops its session at once: stopping
 * the actor runs its actors' clean-up, which removes a half-written download
 * (only SIGKILL can leave one). The process then exits 130 or 143, as a
 * shell reports those signals.
 */
import type { AnyActorRef } from 'xstate';

/** Returns the function that takes the handlers off again, once the session is over. */
export function stopOnSignal(actor: AnyActorRef): () => void {
  const stop = (signal: NodeJS.Signals) => {
    actor.stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}
