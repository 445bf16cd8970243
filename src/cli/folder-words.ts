/** Why a path the user named cannot be a folder, in their words: `it` for the path itself, else the part at fault. */
import { errorCode } from '../storage/errors';
import { FolderNotMade } from '../storage/make-folders';
import { errnoWords } from '../log/errno-words';

export function folderWords(path: string, error: unknown): string {
  if (!(error instanceof FolderNotMade)) return errnoWords(errorCode(error));
  const { problem } = error;
  const subject = problem.part === path ? 'it' : problem.part;
  switch (problem.kind) {
    case 'not_a_folder':
      return `${subject} is a file, not a folder`;
    case 'link_to_nothing':
      return `${subject} is a link to ${problem.target}, which does not exist`;
    case 'link_loop':
      return `${subject} is a link that leads back to itself`;
    case 'no_new_folders':
      return `${problem.part} takes no new folders`;
    case 'system':
      return problem.part === path ? errnoWords(problem.code) : `${problem.part}: ${errnoWords(problem.code)}`;
  }
}
