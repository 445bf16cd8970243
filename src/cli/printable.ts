/**
 * Text from a peer (a listed name, a refusal's reason) as it may be printed on a terminal: each control
 * character (C0, DEL, C1) shown as `\xNN`, so that what a hostile server sends cannot move the cursor, clear
 * the screen or retitle the window of whoever reads it. Wirestate's own servers never send one (names with
 * control characters are refused).
 */
const escaped = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

export const printable = (text: string): string => text.replace(/[\x00-\x1f\x7f-\x9f]/g, escaped);

/** The same for a reply of several lines (a folder's listing): its line breaks and tabs are kept as they are. */
export const printableLines = (text: string): string => text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, escaped);
