/**
 * Reports each state a connection's machine enters, including states it only
 * passes through within one step (eventless transitions), which snapshot
 * subscribers never see. Built on xstate inspection, so it costs nothing
 * unless someone watches.
 */
import type { InspectionEvent, StateValue } from 'xstate';
import { stateName } from './state-name';

export function watchStates(onState: (state: string) => void): (event: InspectionEvent) => void {
  let last = '';
  return (event) => {
    if (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot') return;
    if (event.rootId !== event.actorRef.sessionId) return; // the machine itself, not its file actors
    const value = (event.snapshot as { value?: StateValue }).value;
    if (value === undefined) return;
    const state = stateName(value);
    if (state === last) return;
    last = state;
    onState(state);
  };
}
