/**
 * Whether a new file can be made at `file` in `folder` (which exists), tried and removed again: a folder may
 * exist and even pass an access check (root, procfs) yet take no files, which would otherwise surface later as a
 * bare ENOENT from whatever writes there first.
 */
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { errorCode } from '../storage/errors';
import { errnoWords } from './errno-words';

/** Why no file can be made at `file`, in words; undefined when one could (and was removed again). */
export function newFileProblem(file: string, folder: string): string | undefined {
  try {
    closeSync(openSync(file, 'wx'));
    unlinkSync(file);
    return undefined;
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' ? `${folder} takes no new files` : `cannot make ${file}: ${errnoWords(code)}`;
  }
}
