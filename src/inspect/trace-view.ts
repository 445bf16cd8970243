/**
 * A recorded trace for the inspector page to step through: each entry as the line `wirestate replay`
 * prints for it (frames decoded by the protocol's own reader), and the machine to draw it on.
 */
import { formatTimeline } from '../trace/timeline';
import { parseTrace, type TraceHeader } from '../trace/trace-format';
import type { TraceSupport } from '../trace/trace-support';
import { machineDefinition } from './stately-format';

export interface TraceView {
  header: TraceHeader;
  /** The machine config of the trace's protocol and role, as live connections send it; null if unknown. */
  config: unknown;
  entries: { t: number; text: string; state?: string; outcome?: string }[];
}

/** Reads a trace file's text; throws, with what is wrong, when it is not a trace. */
export function readTrace(text: string, protocols: Record<string, TraceSupport>): TraceView {
  const trace = parseTrace(text, protocols);
  const support = protocols[trace.header.protocol];
  const machine = trace.header.role === 'proxy' ? undefined : support?.machines[trace.header.role];
  // One namer for the whole trace: a frame may be cut across entries, and its reader keeps the leftover bytes.
  const nameFrames = support?.nameFrames(trace);
  const entries = trace.entries.map((entry) => ({
    t: entry.t,
    text: (formatTimeline({ header: trace.header, entries: [entry] }, nameFrames)[1] ?? '').trim(),
    state: 'state' in entry ? entry.state : undefined,
    outcome: 'outcome' in entry ? entry.outcome.outcome : undefined,
  }));
  return { header: trace.header, config: machine ? JSON.parse(machineDefinition(machine.config)) : null, entries };
}
