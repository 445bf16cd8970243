/**
 * Ardei's advanced TCP variant (seed 000, PROTOCOLS-OTHER.md): a 19-byte key
 * each way, then commands (`ls`, `chdir PATH`, `dl PATH`, `quit`), each sent
 * as `<command>929Z` and each reply ended by `929Z`; `dl` announces the file's
 * size and sends it raw after.
 */
import { posix } from 'node:path';

export const ADVANCED_PORT = 8122;
export const SERVER_KEY = Buffer.from('bthDataComServerKey');
export const CLIENT_KEY = Buffer.from('bthDataComClientKey');
export const KEY_LENGTH = 19;
export const DELIMITER = Buffer.from('929Z');
export const ADVANCED_MAX_COMMAND = 4096;

/** A command as the original server reads it: case-sensitive, nothing stripped; `chdir` and `dl` may lack their argument. */
export type AdvancedCommand =
  { kind: 'ls' } | { kind: 'chdir' | 'dl'; path?: string } | { kind: 'quit' } | { kind: 'unknown' };

export function parseCommand(text: string): AdvancedCommand {
  if (text === 'ls') return { kind: 'ls' };
  if (text === 'quit') return { kind: 'quit' };
  const match = /^(chdir|dl)(?: ([^]*))?$/.exec(text);
  return match ? { kind: match[1] as 'chdir' | 'dl', path: match[2] } : { kind: 'unknown' };
}

/** What the client sends for a command: the command and `929Z`, in one write. */
export const commandBytes = (text: string) => Buffer.concat([Buffer.from(text), DELIMITER]);

/** Where `path` leads from the working directory `cwd`, both relative to the served root ('' is the root); never above it. */
export const resolveFrom = (cwd: string, path: string): string =>
  posix
    .normalize(posix.join('/', cwd, path))
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');

/** The working directory as the client sees it. */
export const shownPath = (cwd: string) => `/${cwd}`;

const reply = (text: string) => Buffer.concat([Buffer.from(text), DELIMITER]);

const LISTING_HEAD = 'Current Working Directory: ';
const DL_HEAD = 'Sending ';
const SIZE_HEAD = ' size: SpLiT';
const FILES_HEAD = '\nFiles: \n';
/** One name a line, dot-files left out as the original leaves them out. */
const listed = (names: string[]) =>
  names
    .filter((name) => !name.startsWith('.'))
    .map((name) => `${name}\n`)
    .join('');
export const listingReply = (cwd: string, folders: string[], files: string[]) =>
  reply(`${LISTING_HEAD}${shownPath(cwd)}\n\nFolders: \n\n${listed(folders)}${FILES_HEAD}\n${listed(files)}`);
const CHDIR_HEAD = 'The new current working directory on the server is: ';
export const chdirReply = (cwd: string) => reply(`${CHDIR_HEAD}${shownPath(cwd)}`);
export const NOT_A_DIRECTORY = reply('Not a recognised directory.');
export const dlHeader = (path: string, size: number) => reply(`${DL_HEAD}${path}${SIZE_HEAD}${size}`);
export const INVALID_FILE = reply('Invalid File!');
export const UNRECOGNIZED = reply('Unrecognized Command!');

/** The replies that turn a command down (`Invalid Path!` is the original's with a real chdir). */
const REFUSALS = new Set(['Invalid File!', 'Not a recognised directory.', 'Unrecognized Command!', 'Invalid Path!']);
export const isRefusal = (text: string) => REFUSALS.has(text);

/** What a listing's text (its `929Z` left off) names: the working directory, its folders, its files. */
export function parseListing(text: string): { cwd: string; folders: string[]; files: string[] } | undefined {
  const match = /^Current Working Directory: \/(.*)\n\nFolders: \n\n([^]*?)\nFiles: \n\n([^]*)$/.exec(text);
  const names = (lines: string) => lines.split('\n').filter(Boolean);
  return match ? { cwd: match[1], folders: names(match[2]), files: names(match[3]) } : undefined;
}

/** The working directory a `chdir` answer's text (its `929Z` left off) moved to, or undefined for any other reply. */
export const movedTo = (text: string): string | undefined =>
  text.startsWith(`${CHDIR_HEAD}/`) ? text.slice(CHDIR_HEAD.length + 1) : undefined;

/** A `dl` answer: a reply that starts `Sending ` (no other reply does), whatever follows. */
export const isDlAnswer = (text: string) => text.startsWith(DL_HEAD);

/** What a `dl` answer carries after its (last) ` size: SpLiT`, as sent: the size, if it is one. */
export const sizeField = (text: string) => text.slice(text.lastIndexOf(SIZE_HEAD) + SIZE_HEAD.length);

/**
 * A `dl` answer's path and announced size, or undefined for any other reply text and for a size that is
 * not all digits. `digits` as the server sent them; `size` is exact up to 2^53 (no disk holds more).
 */
export function announcedSize(text: string): { path: string; digits: string; size: number } | undefined {
  const match = /^Sending ([^]*) size: SpLiT(\d+)$/.exec(text);
  return match ? { path: match[1], digits: match[2], size: Number(match[2]) } : undefined;
}

/**
 * Where the reply at the front of `bytes` ends (after its `929Z`), or undefined until it is all there.
 * A name may hold `929Z`, so a listing ends at the `\n929Z` after its files' header and a `dl` answer
 * at the first `929Z` after its ` size: SpLiT` (digits never hold one, so a malformed size ends there
 * too); any other reply at its first `929Z`.
 */
export function replyEnd(bytes: Buffer): number | undefined {
  const text = bytes.toString('latin1');
  const end = (at: number) => (at < 0 ? undefined : at + DELIMITER.length);
  if (text.startsWith(LISTING_HEAD)) {
    const files = text.indexOf(FILES_HEAD);
    const last = files < 0 ? -1 : text.indexOf('\n929Z', files + FILES_HEAD.length - 1);
    return last < 0 ? undefined : end(last + 1);
  }
  if (isDlAnswer(text)) {
    const size = text.indexOf(SIZE_HEAD);
    return size < 0 ? undefined : end(text.indexOf('929Z', size + SIZE_HEAD.length));
  }
  return end(text.indexOf('929Z'));
}
