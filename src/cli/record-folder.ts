/** Makes sure the folder `--record` names can take trace files, before anything listens or connects. */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { makeFolders } from '../storage/make-folders';
import { CommandError } from './command-error';
import { refuseEmptyPath } from './empty-path';
import { folderWords } from './folder-words';
import { newFileProblem } from './new-file-problem';

export function checkRecordFolder(path: string): void {
  refuseEmptyPath('record', path);
  // Traces are files, one per connection: stdout cannot hold them.
  if (path === '-')
    throw new CommandError('--record takes a folder, not - (one trace file per connection)', EXIT.usage);
  const refuse = (why: string) => new CommandError(`cannot record into --record ${path}: ${why}`, EXIT.localFile);
  try {
    makeFolders(path);
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw refuse(folderWords(path, error));
  }
  // A probe file, made and removed: root passes the access check even where no file can be made (/proc).
  const problem = newFileProblem(join(path, `.wirestate-probe-${process.pid}`), path);
  if (problem) throw refuse(problem);
}
