/**
 * The idle timeout as one watchdog per connection, kept by whoever runs its machine (the loop, replay): the
 * machine hears `peer.idle` once it has stood still for the timeout, no state entered and nothing in its context
 * changed, with the peer taking nothing more of what was sent (`wire.progress`, which goes through here). The
 * states that wait for the peer fail on it (`peerIdleFails`, bulk-states.ts); the others let it pass, and the
 * watch goes on. Plain code rather than an xstate delay in every waiting state: each state entered cost a
 * scheduled event, a timer and its cancel. Timed on the actor system's clock, simulated in replay.
 */
import type { SessionActor, SessionSnapshot } from './session-actor';
import { idleDelay, PEER_IDLE_EVENT } from './idle';
import { clockOf } from './system-clock';

export interface IdleWatch {
  /** The peer acknowledged more of the bytes sent to it: the machine hears `wire.progress`, and the watch starts over. */
  progressed: () => void;
}

/** Watches `actor` (created, not yet started) until its machine is over. */
export function watchIdle(actor: SessionActor): IdleWatch {
  const clock = clockOf(actor.system);
  const idleMs = idleDelay({
    context: (actor.getSnapshot() as { context?: { idleTimeoutMs?: number } }).context ?? {},
  });
  let seen: SessionSnapshot | undefined;
  let stirredAt = clock.now();
  const over = () => actor.getSnapshot().status !== 'active';
  const check = () => {
    if (over()) return;
    if (clock.now() - stirredAt >= idleMs) {
      actor.send({ type: PEER_IDLE_EVENT });
      // A state that does not wait for the peer let it pass: another period starts.
      stirredAt = clock.now();
    }
    if (!over()) timer = clock.setTimeout(check, idleMs - (clock.now() - stirredAt));
  };
  let timer = clock.setTimeout(check, idleMs);
  const stop = () => clock.clearTimeout(timer);
  actor.subscribe({
    next: (snapshot) => {
      if (snapshot === seen) return;
      seen = snapshot;
      stirredAt = clock.now();
    },
    complete: stop,
    error: stop,
  });
  return {
    progressed: () => {
      stirredAt = clock.now();
      actor.send({ type: 'wire.progress' });
    },
  };
}
