/**
 * Ctrl-C (SIGINT) or SIGTERM on a client stops its sessions at once. First
 * `abort` resets each connection: left to the process's exit, the kernel would
 * send what it still holds and then a FIN, which a server reading an upload
 * until the end of the stream (share put, queue send) takes for a finished
 * one. Stopping each actor then runs its actors' clean-up, which removes a
 * half-written download (only SIGKILL can leave one). The process exits 130
 * or 143, as a shell reports those signals, once each session has said its
 * last line (`interrupted`: a progress bar erased, what became of the file). A
 * run of several files has several sessions open at once; one handler stops
 * them all before the process exits.
 */
import { reportBulkBytes } from '../engine/bulk-actors';
import type { SessionActor } from '../engine/session-actor';

interface LiveSession {
  actor: SessionActor;
  abort: () => void;
  interrupted?: (signal: NodeJS.Signals) => void;
}

const live = new Set<LiveSession>();

function stopAll(signal: NodeJS.Signals): void {
  for (const { actor, abort, interrupted } of live) {
    // The count its last line says is the machine's: brought up to the bytes moved since the file actor last told it.
    reportBulkBytes(actor);
    abort();
    actor.stop();
    interrupted?.(signal);
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Returns the function that takes the session off again, once it is over. */
export function stopOnSignal(
  actor: SessionActor,
  abort: () => void,
  interrupted?: (signal: NodeJS.Signals) => void,
): () => void {
  const session = { actor, abort, interrupted };
  if (live.size === 0) {
    process.once('SIGINT', stopAll);
    process.once('SIGTERM', stopAll);
  }
  live.add(session);
  return () => {
    live.delete(session);
    if (live.size > 0) return;
    process.off('SIGINT', stopAll);
    process.off('SIGTERM', stopAll);
  };
}
