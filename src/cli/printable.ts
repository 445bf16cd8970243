/**
 * Text from a peer (a listed name, a refusal's reason) as it may be printed on a terminal: each control
 * character (C0, DEL, C1) shown as `\xNN`, so that what a hostile server sends cannot move the cursor, clear
 * the screen or retitle the window of whoever reads it; and each invisible format character (Unicode's Cf:
 * the bidi overrides and isolates U+202A-U+202E and U+2066-U+2069, the marks U+200E/F, zero-width ones...)
 * as `\uNNNN`, so that a name cannot show other than it is (`\u202egnp.exe` read as `exe.png`), and the line and
 * paragraph separators U+2028/9 likewise. Wirestate's own
 * servers never send a control character (names holding one are refused).
 */
import { UNSHOWN_CHARACTERS } from '../log/unshown-characters';

const escaped = (char: string) => {
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
};

const UNPRINTABLE = new RegExp(`[\\x00-\\x1f${UNSHOWN_CHARACTERS}]`, 'gu');
/** Line breaks and tabs aside. */
const UNPRINTABLE_IN_LINES = new RegExp(`[\\x00-\\x08\\x0b-\\x1f${UNSHOWN_CHARACTERS}]`, 'gu');

export const printable = (text: string): string => text.replace(UNPRINTABLE, escaped);

/** The same for a reply of several lines (a folder's listing): its line breaks and tabs are kept as they are. */
export const printableLines = (text: string): string => text.replace(UNPRINTABLE_IN_LINES, escaped);
