/**
 * Each line after a trace's header must be one entry as trace-format.ts describes it: a time `t` and exactly one
 * of its kinds, of the right type. Anything else would be read as nonsense (`undefined B`) or stop the reader.
 */
import type { TraceEntry } from './trace-format';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What each kind of entry holds, as a test of its value. */
const KINDS: Record<string, (value: unknown) => boolean> = {
  in: (value) => typeof value === 'string' && BASE64.test(value),
  out: (value) => typeof value === 'string' && BASE64.test(value),
  state: (value) => typeof value === 'string',
  end: (value) => value === 'peer',
  error: (value) => typeof value === 'string',
  outcome: (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).outcome === 'string' &&
    typeof (value as Record<string, unknown>).code === 'string',
};

/** `entry` (parsed JSON on line `line` of the file) as a trace entry; throws, saying what is wrong, otherwise. */
export function checkedEntry(entry: unknown, line: number): TraceEntry {
  const fields = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? Object.keys(entry) : [];
  const record = entry as Record<string, unknown>;
  const kinds = fields.filter((field) => field !== 't');
  const timed = typeof record?.t === 'number' && Number.isFinite(record.t) && record.t >= 0;
  if (!timed || kinds.length !== 1 || !(kinds[0] in KINDS) || !KINDS[kinds[0]](record[kinds[0]]))
    throw new Error(
      `line ${line} is not a trace entry (each holds a time "t" and one of ${Object.keys(KINDS).join(', ')})`,
    );
  return entry as TraceEntry;
}
