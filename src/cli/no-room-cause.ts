/**
 * Why a download found no room for its file. A folder that takes no new files at all (/proc, /sys) reports no
 * free space either, so a probe file tells the two apart, only once the room check has failed: such a folder's
 * download ends as a local file it could not write (`local_error`, `file.unwritable`, the errno), in words and fields.
 */
import { dirname, join } from 'node:path';
import type { SessionOutcome } from '../engine/protocol';
import { errnoWords } from '../log/errno-words';
import { newFileError } from './new-file-problem';
import { outcomeWords } from './outcome-words';

export function noRoomCause(localPath: string, outcome: SessionOutcome): { words: string; outcome: SessionOutcome } {
  const folder = dirname(localPath);
  const code = newFileError(join(folder, `.wirestate-probe-${process.pid}`));
  if (code === undefined) return { words: outcomeWords('no_room'), outcome };
  return {
    words: `cannot create a file in ${folder}: ${code === 'ENOENT' ? 'it takes no new files' : errnoWords(code)}`,
    outcome: { ...outcome, outcome: 'local_error', code: 'file.unwritable', detail: code },
  };
}
