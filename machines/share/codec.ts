/**
 * The share protocol's wire format (seed 004, PROTOCOLS-OTHER.md): one
 * request per connection, `put,<name>`, `get,<name>` or `list`, with no
 * terminator (text-request.ts says where it ends); the answers `pass` and
 * `cancel`; a listing of names each followed by `, `.
 */

/** The seed's example port, 365, needs privileges; this one does not. */
export const SHARE_PORT = 3650;
/** The longest request read: a name of 255 bytes fits many times over. */
export const SHARE_MAX_REQUEST = 4096;
export const PASS = Buffer.from('pass');
export const CANCEL = Buffer.from('cancel');
export const SEPARATOR = ', ';

export type ShareRequest = { kind: 'put' | 'get'; name: string } | { kind: 'list' } | { kind: 'unknown'; text: string };

/**
 * Reads a request's text (its newline, if any, already taken off) as the
 * original server does, white space included, except that a name may hold
 * commas.
 */
export function parseShareRequest(text: string): ShareRequest {
  if (text === 'list') return { kind: 'list' };
  const comma = text.indexOf(',');
  const command = text.slice(0, comma);
  if (comma > 0 && (command === 'put' || command === 'get')) return { kind: command, name: text.slice(comma + 1) };
  return { kind: 'unknown', text };
}

/** What the original client sends, byte for byte: no terminator (the original server would keep one in the name). */
export const encodeShareRequest = (command: 'put' | 'get' | 'list', name: string): Buffer =>
  Buffer.from(command === 'list' ? 'list' : `${command},${name}`);

export const encodeListing = (names: string[]): Buffer =>
  Buffer.from(names.map((name) => `${name}${SEPARATOR}`).join(''));

export const parseListing = (listing: string): string[] => listing.split(SEPARATOR).slice(0, -1);

/** Whether `text` can be a listing: empty, or every name followed by the separator (another server's reply is not). */
export const isListing = (text: string): boolean => text === '' || text.endsWith(SEPARATOR);
