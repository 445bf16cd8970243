/**
 * A transfer machine's events as the live inspector's log says them: a frame as `wirestate replay`
 * names it (trace-describe.ts), the answer of a file lookup or a room check in words, the wait for a
 * HELLO_REPLY running out.
 */
import type { EventObject } from 'xstate';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import { errnoWords } from '../../src/log/errno-words';
import { nameErrorWords } from '../../src/storage/name-error-words';
import type { InboundFrame } from './frame-reader';
import { describeFrame } from './trace-describe';
import { STORE_ANSWERED } from '../../src/trace/trace-support';
import { errorCode } from '../../src/storage/errors';
import type { Answered } from './server-lookup-refusals';

export function transferEventWords(event: EventObject): string | undefined {
  if (event.type.startsWith('frame.')) return `received ${describeFrame(event as InboundFrame)}`;
  if (event.type.startsWith('xstate.done.actor.') || event.type === STORE_ANSWERED)
    return answerWords((event as { output?: unknown }).output);
  if (event.type.startsWith('xstate.after.helloWait.')) return 'no HELLO_REPLY in time';
  return undefined;
}

/** What the machine's store asked answered: a lookup (by its kind), a room check (yes or no), a kept upload's size. */
function answerWords(output: unknown): string | undefined {
  if (typeof output === 'boolean') return output ? 'room check: there is room' : 'room check: not enough free space';
  if (typeof output === 'number') return `kept upload: ${output} B stored so far`;
  if (output && typeof output === 'object' && 'kind' in output)
    return lookupWords(output as Answered<DownloadLookup | UploadLookup>);
  return undefined;
}

function lookupWords(lookup: Answered<DownloadLookup | UploadLookup>): string {
  switch (lookup.kind) {
    case 'failed':
      return `lookup failed, ${errnoWords(errorCode(lookup.error))}`;
    case 'found':
      return `lookup: the file is there, ${lookup.size} B`;
    case 'missing':
      return 'lookup: no such file';
    case 'free':
      return 'lookup: the name is free';
    case 'exists':
      return 'lookup: a file of that name is there already';
    case 'busy':
      return 'lookup: another connection is using that name';
    case 'read_only':
      return 'lookup: the folder is served read-only';
    case 'refused':
      return `lookup: refused, ${errnoWords(nameErrorWords(lookup.code))}${lookup.detail ? ` (${lookup.detail})` : ''}`;
  }
}
