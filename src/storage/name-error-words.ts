/**
 * A name the rules refuse (name-rules.ts, the request's frame), said in words for a log line: `protocol error (a
 * name that leads out of the served folder)`, not its code. The code stays the outcome's `code`, for log readers.
 */
import { errorCode, isNameErrorCode, type NameErrorCode } from './errors';

const NAME_ERROR_WORDS: Record<NameErrorCode, string> = {
  'name.empty': 'an empty name',
  'name.too_long': 'a name over 255 bytes',
  'name.nul': 'a name with a NUL byte',
  'name.encoding': 'a name that is not UTF-8',
  'name.escapes': 'a name that leads out of the served folder',
  'name.reserved': 'a name the server keeps for itself (a control character, a look-alike slash, a temporary file)',
  'name.folder': 'a name ending in /, which names a folder',
};

/** The words for a name's error code; any other code (EACCES, say) as it is. */
export const nameErrorWords = (code: string): string => (isNameErrorCode(code) ? NAME_ERROR_WORDS[code] : code);

/** A file call's failure as a log line's detail: its code (`EACCES`), in words when it is a name's. */
export const errorDetail = (error: unknown): string => nameErrorWords(errorCode(error));
