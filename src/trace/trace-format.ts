/**
 * The trace file: JSON Lines, one header then one line per thing that
 * happened, each with `t`, milliseconds since the connection opened.
 *
 *   {"trace":"wirestate/1","protocol":"transfer","role":"server",...}
 *   {"t":0.412,"in":"<base64>"}        bytes received
 *   {"t":0.910,"out":"<base64>"}       bytes sent
 *   {"t":0.500,"state":"check_download"}
 *   {"t":1.200,"end":"peer"}           the peer ended its side
 *   {"t":1.300,"error":"ECONNRESET"}   the socket failed
 *   {"t":1.400,"outcome":{...}}        how the machine ended
 */
import type { SessionOutcome } from '../engine/protocol';
import { checkedEntry } from './trace-entry-check';

export const TRACE_FORMAT = 'wirestate/1';

export interface TraceHeader {
  trace: typeof TRACE_FORMAT;
  protocol: string;
  role: 'server' | 'client' | 'proxy';
  connection: string;
  peer: string;
  version: string;
  started: string;
  /** `udp`: each `in`/`out` entry is one datagram, so replays keep the recorded cuts. Absent: TCP. */
  transport?: 'tcp' | 'udp';
  /** The machine's input, so a replay builds the same machine. */
  input?: unknown;
}

export type TraceEntry = { t: number } & (
  | { in: string }
  | { out: string }
  | { state: string }
  | { end: 'peer' }
  | { error: string }
  | { outcome: SessionOutcome }
);

export interface Trace {
  header: TraceHeader;
  entries: TraceEntry[];
}

/** What every header names, without which a trace cannot be read (a timeline would say "undefined"). */
const HEADER_FIELDS = ['protocol', 'role', 'connection', 'peer', 'version', 'started'] as const;

export function parseTrace(text: string): Trace {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [first, ...rest] = lines.map((line, index) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new Error(`line ${index + 1} is not JSON`);
    }
  });
  const header = first as TraceHeader | undefined;
  if (header?.trace !== TRACE_FORMAT)
    throw new Error(`not a ${TRACE_FORMAT} trace (first line: ${lines[0]?.slice(0, 60) ?? 'none'})`);
  const missing = HEADER_FIELDS.filter((field) => typeof header[field] !== 'string');
  if (missing.length > 0) throw new Error(`the trace header lacks ${missing.join(', ')}`);
  return { header, entries: rest.map((entry, index) => checkedEntry(entry, index + 2)) };
}

/** The bytes of a chunk entry. */
export function chunkBytes(entry: { in: string } | { out: string }): Buffer;
export function chunkBytes(entry: TraceEntry): Buffer | undefined;
export function chunkBytes(entry: TraceEntry | { in: string } | { out: string }): Buffer | undefined {
  if ('in' in entry) return Buffer.from(entry.in, 'base64');
  if ('out' in entry) return Buffer.from(entry.out, 'base64');
  return undefined;
}

/** The chunks of one direction of a trace, in order. */
export function tracedChunks(trace: Trace, direction: 'in' | 'out'): Buffer[] {
  return trace.entries.flatMap((entry) => {
    const bytes = direction in entry ? chunkBytes(entry) : undefined;
    return bytes ? [bytes] : [];
  });
}

/** The bytes of one direction of a trace, in order. */
export const tracedBytes = (trace: Trace, direction: 'in' | 'out'): Buffer =>
  Buffer.concat(tracedChunks(trace, direction));
