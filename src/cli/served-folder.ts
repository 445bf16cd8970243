/** Opens the folder a server is told to serve (`--root`), saying in one line why it cannot be served. */
import { errorCode } from '../storage/errors';
import { EXIT } from '../engine/exit-codes';
import { FolderFiles } from '../storage/folder-files';
import { CommandError } from './command-error';
import { errnoWords } from './errno-words';

export async function openServedFolder(path: string): Promise<FolderFiles> {
  try {
    return await FolderFiles.open(path);
  } catch (error) {
    const code = errorCode(error);
    const why = code === 'EEXIST' ? 'it is a file, not a folder' : errnoWords(code);
    throw new CommandError(`cannot serve --root ${path}: ${why}`, EXIT.localFile);
  }
}
