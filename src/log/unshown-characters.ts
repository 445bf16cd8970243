/**
 * Characters that JSON quoting leaves as they are and a terminal either obeys or does not show: DEL and C1
 * (U+007F-U+009F, CSI among them), the line and paragraph separators U+2028/9, and Unicode's invisible format
 * characters (Cf: the bidi overrides that show `\u202egnp.exe` as `exe.png`, zero-width ones). A log line escapes
 * them (logger.ts), and so does what a client prints of a peer's words (printable.ts, with C0 besides): one class
 * for both, as the body of a regular expression character class with the `u` flag.
 */
export const UNSHOWN_CHARACTERS = '\\x7f-\\x9f\\u2028\\u2029\\p{Cf}';

const UNSHOWN = new RegExp(`[${UNSHOWN_CHARACTERS}]`, 'gu');

/**
 * `line` (JSON, as JSON.stringify writes it) with each of those characters as its JSON escape: the same text to a
 * reader of JSON, nothing a terminal obeys. Each UTF-16 unit, as JSON writes an astral character (U+E0041: \udb40\udc41).
 */
export const jsonEscapedUnshown = (line: string): string =>
  line.replace(UNSHOWN, (char) =>
    char
      .split('')
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join(''),
  );
