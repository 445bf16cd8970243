/**
 * Ctrl-C (SIGINT) or SIGTERM on a client stops its session at once. First
 * `abort` resets its connection: left to the process's exit, the kernel would
 * send what it still holds and then a FIN, which a server reading an upload
 * until the end of the stream (share put, queue send) takes for a finished
 * one. Stopping the actor then runs its actors' clean-up, which removes a
 * half-written download (only SIGKILL can leave one). The process exits 130
 * or 143, as a shell reports those signals.
 */
import type { AnyActorRef } from 'xstate';

/** Returns the function that takes the handlers off again, once the session is over. */
export function stopOnSignal(actor: AnyActorRef, abort: () => void): () => void {
  const stop = (signal: NodeJS.Signals) => {
    abort();
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
