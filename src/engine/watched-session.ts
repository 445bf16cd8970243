/**
 * What every runner of a connection's actor (the loop, replay, the machine alone) starts with: one set of
 * observers, to which its holds' release (release-when-over.ts) and its idle watchdog (idle-watchdog.ts) are
 * already added, and the runner adds its own.
 */
import type { ConnectionSpec } from './protocol';
import type { SessionActor } from './session-actor';
import { SessionObservers } from './session-observers';
import { releaseWhenOver } from './release-when-over';
import { watchIdle } from './idle-watchdog';

/** `actor`: created, not yet started. */
export function watchSession(actor: SessionActor, spec: ConnectionSpec): SessionObservers {
  const observers = new SessionObservers(actor);
  releaseWhenOver(observers, spec);
  watchIdle(observers);
  return observers;
}
