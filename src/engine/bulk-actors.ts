/**
 * A machine's file actors in a bulk phase: the sink the frame pump hands file chunks to (found by the
 * state's tag), and what they are told from outside the machine: to report the bytes they
 * have not yet told it of, so that its count is current before an event that may end it, or before a
 * signal stops it (a client's last line says it).
 */
import type { AnyActorRef } from 'xstate';
import { SINK_ID, SOURCE_ID } from './file-actors';
import { BULK_IN_TAG } from './protocol';
import type { SessionActor } from './session-actor';

/** The sink that takes file chunks while the machine's state is `bulk-in`. */
export function bulkSinkOf(actor: SessionActor): AnyActorRef | undefined {
  const snapshot = actor.getSnapshot();
  return snapshot.hasTag(BULK_IN_TAG) ? snapshot.children[SINK_ID] : undefined;
}

/**
 * Has the file actors of a bulk phase tell the machine now of the bytes they moved since their last report:
 * in any of its states (a sink waiting for the disk, `disk_busy`, is no `bulk-in` state, and holds the most),
 * as the bulk state that runs them counts each report whatever its substate.
 */
export function reportBulkBytes(actor: SessionActor): void {
  const { children } = actor.getSnapshot();
  children[SINK_ID]?.send({ type: 'sink.report' });
  children[SOURCE_ID]?.send({ type: 'source.report' });
}
