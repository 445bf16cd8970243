/**
 * The time stamp on every log line, in the ISO form winston's `timestamp` format writes, formatted once per
 * millisecond rather than once per line: a server logs a small request's three lines within a millisecond or two.
 */
let stampedAt = NaN;
let stamp = '';

/** The current time as `2026-11-30T20:51:31.059Z`. */
export function lineTimestamp(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}
