/**
 * The `sum` exercise's wire format (PROTOCOLS-OTHER.md): the client sends
 * `<name>\n<integer>\n`; the server answers `<server name>\n<server integer>\n`,
 * or one line `ERR <reason>\n` when the integer is not 1..100.
 */
import { encodeLines } from '../../src/engine/text-request';

export const SUM_PORT = 12001;
/** A name and a number fit easily; a longer request ends here. */
export const SUM_MAX_REQUEST = 1024;
export const LOWEST = 1;
export const HIGHEST = 100;

export type NumberCheck =
  { kind: 'in_range'; value: number } | { kind: 'out_of_range'; value: number } | { kind: 'not_integer' };

/** Reads the client's number: a whole number (spaces around allowed) in or out of 1..100, or not a number at all. */
export function checkNumber(text: string): NumberCheck {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) return { kind: 'not_integer' };
  const value = Number(text);
  return value >= LOWEST && value <= HIGHEST ? { kind: 'in_range', value } : { kind: 'out_of_range', value };
}

/** The request and the answer alike: a name line and a number line. */
export const encodeNameAndNumber = (name: string, value: number): Buffer => encodeLines([name, String(value)]);

export const encodeSumError = (reason: string): Buffer => encodeLines([`ERR ${reason}`]);

export type SumReply =
  { kind: 'answer'; name: string; value: number } | { kind: 'error'; reason: string } | { kind: 'malformed' };

/** Reads the server's whole reply. */
export function parseSumReply(reply: Buffer): SumReply {
  const text = reply.toString('utf8');
  if (text.startsWith('ERR ')) return { kind: 'error', reason: text.slice(4).trimEnd() };
  const match = /^([^\n]*)\n([+-]?\d+)\n$/.exec(text);
  return match ? { kind: 'answer', name: match[1], value: Number(match[2]) } : { kind: 'malformed' };
}

/** A name the protocol can carry: one line, and not taken for an error reply. */
export function nameProblem(name: string): string | undefined {
  if (name.includes('\n')) return 'a name is one line';
  if (name.startsWith('ERR ')) return 'a name may not start with "ERR "';
  return undefined;
}
