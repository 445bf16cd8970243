/**
 * The rule every unframed text request follows (PROTOCOLS-OTHER.md): none of
 * the original programs frames its request, so a request of N lines is
 * complete at the first of: its Nth newline, the client ending its side, the
 * protocol's size cap, or a short quiet period. Pure: bytes in, lines out.
 */

/** How long a started request may pause before it counts as complete, unless configured. */
export const DEFAULT_QUIET_MS = 50;

export interface TextRequest {
  /** Exactly `count` lines, newlines (and a CR before one) stripped; lines that never came are empty. */
  lines: string[];
  /** All `count` newlines have arrived. */
  complete: boolean;
}

/** The first `count` lines of the request read so far (UTF-8). */
export function readLines(bytes: Buffer, count: number): TextRequest {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count) {
    const newline = bytes.indexOf(0x0a, start);
    if (newline < 0) break;
    lines.push(bytes.toString('utf8', start, newline).replace(/\r$/, ''));
    start = newline + 1;
  }
  const complete = lines.length === count;
  if (!complete) lines.push(bytes.toString('utf8', start));
  while (lines.length < count) lines.push('');
  return { lines, complete };
}

/** The bytes a client sends for `lines`: each line ended by a newline, as wirestate's clients always do. */
export function encodeLines(lines: string[]): Buffer {
  return Buffer.from(lines.map((line) => `${line}\n`).join(''));
}
