import type { AnyStateMachine, EventObject } from 'xstate';
import type { Trace } from './trace-format';
import type { TraceInputs } from './trace-problems';
import type { SpecFromTrace } from './trace-replay';

/** Names the frames a chunk completes, in one direction of one trace. */
export type FrameNamer = (direction: 'in' | 'out', chunk: Buffer) => string[];

/** A machine event in the words of the protocol's user (`received REQUEST D "a.txt"`), or undefined for one it leaves to the common words. */
export type EventDescriber = (event: EventObject) => string | undefined;

/**
 * What the live inspector hands a protocol's `describeEvent` for a store's answer that its machine keeps in context
 * as `lookup`, asked within a step rather than by an actor whose done event would say it (the transfer server's).
 */
export const STORE_ANSWERED = 'store.answered';

/** Thrown by a protocol's `specFromTrace` for a trace whose machine cannot run again from the trace alone (why, in words). */
export class CannotReplay extends Error {}

/** What a protocol offers `wirestate replay`: frame names for the timeline, and a machine to re-run. */
export interface TraceSupport {
  nameFrames(trace: Trace): FrameNamer;
  specFromTrace: SpecFromTrace;
  /** What each role's machine needs of a trace header's input (a header without it is refused before replay). */
  inputs: TraceInputs;
  /** The protocol's machines, for drawing a trace's statechart. */
  machines: { server: AnyStateMachine; client: AnyStateMachine };
  /** Its machines' events for the live inspector's log, frames named as the timeline names them. */
  describeEvent?: EventDescriber;
}
