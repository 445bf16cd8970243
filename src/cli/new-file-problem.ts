/**
 * Whether a new file can be made at `file` in `folder` (which exists), tried and removed again: a folder may
 * exist and even pass an access check (root, procfs) yet take no files, which would otherwise surface later as a
 * bare ENOENT from whatever writes there first.
 */
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { errorCode } from '../storage/errors';
import { errnoWords } from '../log/errno-words';

/** The error code making a file at `file` gives; undefined when one could be made (and was removed again). */
export function newFileError(file: string): string | undefined {
  try {
    closeSync(openSync(file, 'wx'));
    unlinkSync(file);
    return undefined;
  } catch (error) {
    return errorCode(error);
  }
}

/** Why no file can be made at `file` in `folder`, in words; undefined when one could (and was removed again). */
export function newFileProblem(file: string, folder: string): string | undefined {
  const code = newFileError(file);
  if (code === undefined) return undefined;
  return code === 'ENOENT' ? `${folder} takes no new files` : `cannot make ${file}: ${errnoWords(code)}`;
}
