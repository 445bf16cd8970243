/** Makes sure the folder `--record` names can take trace files, before anything listens or connects. */
import { accessSync, constants } from 'node:fs';
import { EXIT } from '../engine/exit-codes';
import { makeFolders } from '../storage/make-folders';
import { CommandError } from './command-error';
import { refuseEmptyPath } from './empty-path';
import { folderWords } from './folder-words';

export function checkRecordFolder(path: string): void {
  refuseEmptyPath('record', path);
  try {
    makeFolders(path);
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new CommandError(`cannot record into --record ${path}: ${folderWords(path, error)}`, EXIT.localFile);
  }
}
