/** Opens the folder a server is told to serve (`--root`), saying in one line why it cannot be served. */
import { EXIT } from '../engine/exit-codes';
import { FolderFiles } from '../storage/folder-files';
import { CommandError } from './command-error';
import { refuseEmptyPath } from './empty-path';
import { folderWords } from './folder-words';

export async function openServedFolder(path: string): Promise<FolderFiles> {
  refuseEmptyPath('root', path);
  try {
    return await FolderFiles.open(path);
  } catch (error) {
    throw new CommandError(`cannot serve --root ${path}: ${folderWords(path, error)}`, EXIT.localFile);
  }
}
