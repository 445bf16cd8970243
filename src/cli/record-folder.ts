/** Makes sure the folder `--record` names can take trace files, before anything listens or connects. */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { errorCode } from '../storage/errors';
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';
import { errnoWords } from './errno-words';

export function checkRecordFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    const code = errorCode(error);
    const why = code === 'EEXIST' ? 'it is a file, not a folder' : errnoWords(code);
    throw new CommandError(`cannot record into --record ${path}: ${why}`, EXIT.localFile);
  }
}
