/**
 * The idle timeout as one watchdog per connection, kept by whoever runs its machine (the loop, replay), with the
 * meaning the timeout always had: a state that waits for the peer fails once the timeout has passed since it was
 * entered. The watchdog notes when the machine's states last changed (a state entered) or the machine said it
 * re-entered one (`restartsIdle`, idle.ts), and sends `peer.idle` once that is the idle timeout ago, if the state
 * the machine is in then fails on it (`peerIdleFails`, bulk-states.ts, or an outcome of its own); a state doing
 * its own work does not hear it, and another period starts. Plain code rather than an xstate delay in every
 * waiting state: each state entered cost a scheduled event, a timer and its cancel. Timed on the actor system's
 * clock, simulated in replay.
 */
import type { SessionObservers } from './session-observers';
import { idleDelay, PEER_IDLE_EVENT } from './idle';
import { clockOf } from './system-clock';

const IDLE_RESTART = ['idle.restart'] as const;

/** The part of an xstate machine snapshot that changes exactly when its active states do. */
interface StateNodes {
  _nodes?: unknown;
}

/** Watches the observed actor (created, not yet started) until its machine is over. */
export function watchIdle(observers: SessionObservers): void {
  const { actor } = observers;
  const clock = clockOf(actor.system);
  const idleMs = idleDelay({
    context: (actor.getSnapshot() as { context?: { idleTimeoutMs?: number } }).context ?? {},
  });
  const idle = { type: PEER_IDLE_EVENT };
  let states: unknown;
  let enteredAt = clock.now();
  const entered = () => (enteredAt = clock.now());
  const check = () => {
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active') return;
    if (clock.now() - enteredAt >= idleMs) {
      if (snapshot.can(idle)) actor.send(idle);
      // A state that does not wait for the peer: it starts a period of its own.
      entered();
    }
    if (actor.getSnapshot().status === 'active') timer = clock.setTimeout(check, idleMs - (clock.now() - enteredAt));
  };
  let timer = clock.setTimeout(check, idleMs);
  const stop = () => clock.clearTimeout(timer);
  observers.observe({
    next: (snapshot) => {
      const now = (snapshot as StateNodes)._nodes;
      if (now === states) return;
      states = now;
      entered();
    },
    complete: stop,
    error: stop,
  });
  observers.on(IDLE_RESTART, entered);
}
