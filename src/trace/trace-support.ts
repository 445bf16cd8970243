import type { AnyStateMachine } from 'xstate';
import type { Trace } from './trace-format';
import type { SpecFromTrace } from './trace-replay';

/** Names the frames a chunk completes, in one direction of one trace. */
export type FrameNamer = (direction: 'in' | 'out', chunk: Buffer) => string[];

/** What a protocol offers `wirestate replay`: frame names for the timeline, and a machine to re-run. */
export interface TraceSupport {
  nameFrames(trace: Trace): FrameNamer;
  specFromTrace: SpecFromTrace;
  /** The protocol's machines, for drawing a trace's statechart. */
  machines: { server: AnyStateMachine; client: AnyStateMachine };
}
