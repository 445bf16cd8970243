/**
 * Why a download found no room for its file. A folder that takes no new files at all (/proc, /sys) reports no
 * free space either, so a probe file tells the two apart, only once the room check has failed.
 */
import { dirname, join } from 'node:path';
import { errnoWords } from '../log/errno-words';
import { newFileError } from './new-file-problem';
import { outcomeWords } from './outcome-words';

export function noRoomWords(localPath: string): string {
  const folder = dirname(localPath);
  const code = newFileError(join(folder, `.wirestate-probe-${process.pid}`));
  if (code === undefined) return outcomeWords('no_room');
  return `cannot create a file in ${folder}: ${code === 'ENOENT' ? 'it takes no new files' : errnoWords(code)}`;
}
