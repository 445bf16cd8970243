/**
 * A transfer that failed on this machine's side (`local_error`), in words naming that side: the file it
 * read or wrote, or standard output, and what went wrong with it. The socket's words (EPIPE: "the other side
 * closed the connection") would blame the server for a reader of stdout that went away (`| head`).
 */
import type { SessionOutcome } from '../engine/protocol';
import { errnoWords } from '../log/errno-words';
import { isStandardStream } from '../storage/standard-stream-name';

export function localFailureWords(localName: string, outcome: SessionOutcome): string {
  const detail = outcome.detail ?? outcome.code;
  if (outcome.code === 'file.size_changed') return `${localName} changed while being sent: ${detail}`;
  if (outcome.code === 'file.unreadable') return `cannot read ${localName}: ${errnoWords(detail)}`;
  if (!isStandardStream(localName)) return `cannot write ${localName}: ${errnoWords(detail)}`;
  if (detail === 'EPIPE') return 'standard output was closed before the download finished (EPIPE)';
  return `cannot write to standard output: ${errnoWords(detail)}`;
}

/** Why standard output took no more, by the write's errno: EPIPE is its reader gone (`| head`), not the server. */
export const standardOutputCause = (errno: string): string =>
  errno === 'EPIPE' ? 'it was closed (EPIPE)' : errnoWords(errno);
