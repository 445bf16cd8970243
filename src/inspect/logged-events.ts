/**
 * Which of a connection's inspection events its live log shows, as machine events: each event its machine took
 * (not its file actors', not `xstate.init`), and each answer of its store that the machine kept in context as
 * `lookup` (asked within a step, so no actor's done event says it), handed over as `STORE_ANSWERED`.
 */
import type { AnyActorRef, EventObject, InspectionEvent } from 'xstate';
import { STORE_ANSWERED } from '../trace/trace-support';

export function loggedEvents(machine: AnyActorRef): (event: InspectionEvent) => EventObject | undefined {
  let answer: unknown;
  return (event) => {
    if (event.actorRef !== machine) return undefined;
    if (event.type === '@xstate.event') return event.event.type === 'xstate.init' ? undefined : event.event;
    if (event.type !== '@xstate.snapshot') return undefined;
    const lookup = (event.snapshot as { context?: { lookup?: unknown } }).context?.lookup;
    const changed = lookup !== undefined && lookup !== answer;
    answer = lookup;
    return changed ? ({ type: STORE_ANSWERED, output: lookup } as EventObject) : undefined;
  };
}
