/**
 * Reports each state a connection's machine enters, including states it only
 * passes through within one step (eventless transitions), which snapshot
 * subscribers never see. Built on xstate inspection, so it costs nothing
 * unless someone watches.
 */
import type { InspectionEvent, StateValue } from 'xstate';
import { FLOW_CONTROL_TAG } from './protocol';
import { stateName } from './state-name';

export interface WatchOptions {
  /** Leave out states tagged `flow-control`, whose visits depend on timing rather than bytes. */
  skipFlowControl?: boolean;
}

export function watchStates(
  onState: (state: string) => void,
  options: WatchOptions = {},
): (event: InspectionEvent) => void {
  let last = '';
  return (event) => {
    if (event.rootId !== event.actorRef.sessionId) return; // the machine itself, not its file actors
    const snapshot = snapshotOf(event);
    if (!snapshot) return;
    if (snapshot.value === undefined) return;
    if (options.skipFlowControl && snapshot.hasTag?.(FLOW_CONTROL_TAG)) return;
    const state = stateName(snapshot.value);
    if (state === last) return;
    last = state;
    onState(state);
  };
}

/**
 * The snapshot an event shows. The initial state is read at the start event: its entry actions (a first
 * write) run before the first snapshot event, and a trace must show the state before the bytes it sent.
 */
function snapshotOf(event: InspectionEvent): WatchedSnapshot | undefined {
  if (event.type === '@xstate.microstep' || event.type === '@xstate.snapshot') return event.snapshot as WatchedSnapshot;
  if (event.type === '@xstate.event' && event.event.type === 'xstate.init')
    return event.actorRef.getSnapshot() as WatchedSnapshot;
  return undefined;
}

interface WatchedSnapshot {
  value?: StateValue;
  hasTag?: (tag: string) => boolean;
}
