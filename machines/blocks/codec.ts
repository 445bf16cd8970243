/**
 * The `blocks` exercise's wire format (PROTOCOLS-OTHER.md): the client sends
 * a file name and a newline; the server answers `OK <size>\n` and the file's
 * bytes (written in blocks of 1024), or `ERR <reason>\n`, and closes.
 */
import { encodeLines } from '../../src/engine/text-request';

export const BLOCKS_PORT = 12002;
export const BLOCK_SIZE = 1024;
/** The longest file name read (the request ends there). */
export const BLOCKS_MAX_REQUEST = 4096;
/** The longest answer line a client waits for: `OK ` and any size a disk could hold fit many times over. */
export const MAX_HEADER = 256;

export const encodeFileRequest = (name: string): Buffer => encodeLines([name]);

export const encodeOk = (size: number): Buffer => encodeLines([`OK ${size}`]);

/** `reason` becomes one line. */
export const encodeErr = (reason: string): Buffer => encodeLines([`ERR ${reason.replace(/[\r\n]+/g, ' ')}`]);

export type Header = { kind: 'ok'; size: number } | { kind: 'err'; reason: string } | { kind: 'bad'; detail: string };

/**
 * Reads the answer line (without its newline). Any digits are a size, however many: one too large for the
 * disk fails the client's free-space check like any other.
 */
export function parseHeader(line: string): Header {
  const ok = /^OK (\d+)$/.exec(line);
  if (ok) return { kind: 'ok', size: Number(ok[1]) };
  if (line.startsWith('ERR ')) return { kind: 'err', reason: line.slice(4) };
  return { kind: 'bad', detail: `not an answer: ${JSON.stringify(line.slice(0, 40))}` };
}
