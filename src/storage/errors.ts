import { constants } from 'node:os';

/** Stable codes for every failure wirestate reports, so callers and tests match on codes, not wording. */
export type ErrorCode =
  | 'name.empty'
  | 'name.too_long'
  | 'name.nul'
  | 'name.encoding'
  | 'name.escapes'
  | 'name.reserved'
  /** A name ending in `/` (or `/.`): it names a folder, not a file. */
  | 'name.folder'
  | 'queue.full'
  /** A waiting message's record is gone from the queue's store (another process that opened it took it). */
  | 'queue.missing'
  /** A file being sent holds more bytes than announced, or was rewritten while it was read. */
  | 'file.size_changed'
  /** A source copied whole before an upload (its size unknown to stat) holds more than the copy takes. */
  | 'file.too_long';

/** The codes of a name that is not one wirestate accepts. */
export type NameErrorCode = Extract<ErrorCode, `name.${string}`>;

export const isNameErrorCode = (code: string): code is NameErrorCode => code.startsWith('name.');

/** The one error type of wirestate: a stable `code` plus a message meant for people. */
export class WirestateError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WirestateError';
  }
}

/** Picks the errno-style code off any thrown value, for logs and outcomes. */
export function errorCode(error: unknown): string {
  if (error instanceof WirestateError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/** Node's name for an errno number (5: EIO), as native modules such as lmdb report them; undefined if none. */
export function errnoName(number: unknown): string | undefined {
  return Object.entries(constants.errno).find(([, errno]) => errno === number)?.[0];
}
