/**
 * Ardei's advanced TCP variant (seed 000, PROTOCOLS-OTHER.md): a 19-byte key
 * each way, then commands (`ls`, `chdir PATH`, `dl PATH`, `quit`), each reply
 * ended by `929Z`; `dl` announces the file's size and sends it raw after.
 */
import { posix } from 'node:path';

export const ADVANCED_PORT = 8122;
export const SERVER_KEY = Buffer.from('bthDataComServerKey');
export const CLIENT_KEY = Buffer.from('bthDataComClientKey');
export const KEY_LENGTH = 19;
export const DELIMITER = Buffer.from('929Z');
export const ADVANCED_MAX_COMMAND = 4096;

export type AdvancedCommand = { kind: 'ls' } | { kind: 'chdir' | 'dl'; path: string } | { kind: 'quit' } | { kind: 'unknown' };

export function parseCommand(raw: string): AdvancedCommand {
  const text = raw.trim();
  if (text === 'ls') return { kind: 'ls' };
  if (text === 'quit') return { kind: 'quit' };
  const match = /^(chdir|dl)\s+(.+)$/.exec(text);
  return match ? { kind: match[1] as 'chdir' | 'dl', path: match[2] } : { kind: 'unknown' };
}

/** Where `path` leads from the working directory `cwd`, both relative to the served root ('' is the root); never above it. */
export const resolveFrom = (cwd: string, path: string): string => posix.normalize(posix.join('/', cwd, path)).replace(/^\/+/, '').replace(/\/+$/, '');

/** The working directory as the client sees it. */
export const shownPath = (cwd: string) => `/${cwd}`;

const reply = (text: string) => Buffer.concat([Buffer.from(text), DELIMITER]);

export const listingReply = (cwd: string, folders: string[], files: string[]) =>
  reply(`Current Working Directory: ${shownPath(cwd)}\n\nFolders: \n\n${folders.map((name) => `${name}\n`).join('')}\nFiles: \n\n${files.map((name) => `${name}\n`).join('')}`);
export const chdirReply = (cwd: string) => reply(`The new current working directory on the server is: ${shownPath(cwd)}`);
export const NOT_A_DIRECTORY = reply('Not a recognised directory.');
export const dlHeader = (path: string, size: number) => reply(`Sending ${path} size: SpLiT${size}`);
export const INVALID_FILE = reply('Invalid File!');
export const UNRECOGNIZED = reply('Unrecognized Command!');

/** A `dl` answer's announced size, or undefined for any other reply text. */
export function announcedSize(text: string): { path: string; size: number } | undefined {
  const match = /^Sending (.*) size: SpLiT(\d{1,16})$/s.exec(text);
  return match ? { path: match[1], size: Number(match[2]) } : undefined;
}
