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
import { entryProblem, headerProblem, type TraceInputs } from './trace-problems';

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

/** A line of a trace that cannot be read: `line` counts from 1, blank lines included, as an editor does. */
export class TraceFormatError extends Error {
  constructor(
    readonly line: number,
    readonly why: string,
  ) {
    super(`line ${line}: ${why}`);
  }
}

/**
 * Reads a trace's text, refusing (TraceFormatError) the first line that is not what trace-problems.ts says.
 * `protocols`: the protocols the reader knows, with their machines' inputs; left out, any protocol is taken. CRLF line ends are read as LF.
 */
export function parseTrace(text: string, protocols?: Readonly<Record<string, { inputs: TraceInputs }>>): Trace {
  const lines = text
    .split('\n')
    .map((line, index) => ({ number: index + 1, line: line.replace(/\r$/, '') }))
    .filter(({ line }) => line.trim() !== '');
  const [first, ...rest] = lines;
  const header = first && jsonOf(first.line);
  if (!isHeader(header)) throw notATrace(first?.number ?? 1, first?.line);
  const headerWhy = headerProblem(header, protocols);
  if (headerWhy) throw new TraceFormatError(first.number, headerWhy);
  const entries: TraceEntry[] = [];
  for (const { number, line } of rest) {
    const entry = jsonOf(line);
    if (entry === NOT_JSON) throw new TraceFormatError(number, `not JSON: ${shownLine(line)}`);
    const why = entryProblem(entry, entries.at(-1)?.t ?? 0);
    if (why) throw new TraceFormatError(number, why);
    entries.push(entry as TraceEntry);
  }
  return { header: header as unknown as TraceHeader, entries };
}

const NOT_JSON = Symbol('not JSON');

function jsonOf(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return NOT_JSON;
  }
}

const isHeader = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (value as { trace?: unknown }).trace === TRACE_FORMAT;

/** The start of a line as it reads, control characters (binary garbage, a terminal's escapes) as `?`. */
const shownLine = (line: string) => `${line.slice(0, 40).replace(/\p{Cc}/gu, '?')}${line.length > 40 ? '...' : ''}`;

const notATrace = (number: number, line: string | undefined) =>
  new TraceFormatError(
    number,
    `not a ${TRACE_FORMAT} trace (it starts ${line === undefined ? 'with nothing' : shownLine(line)})`,
  );

/**
 * Each chunk entry's bytes, decoded once: a check reads a frame several times (timeline, world, each replay), and
 * a copy per reading of a 75 MiB frame would be garbage the collector frees late. Not to be written into.
 */
const decoded = new WeakMap<object, Buffer>();

/** The bytes of a chunk entry. */
export function chunkBytes(entry: { in: string } | { out: string }): Buffer;
export function chunkBytes(entry: TraceEntry): Buffer | undefined;
export function chunkBytes(entry: TraceEntry | { in: string } | { out: string }): Buffer | undefined {
  if (!('in' in entry) && !('out' in entry)) return undefined;
  let bytes = decoded.get(entry);
  if (bytes === undefined) {
    bytes = Buffer.from('in' in entry ? entry.in : entry.out, 'base64');
    decoded.set(entry, bytes);
  }
  return bytes;
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
