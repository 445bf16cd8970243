/**
 * An empty or blank path names nothing: refused as a bad argument, not read as the current folder, a folder
 * named " " or no store at all.
 */
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';

export function refuseEmptyPath(flag: string, path: string): void {
  if (path.trim() === '')
    throw new CommandError(
      `--${flag} is ${path === '' ? 'empty' : 'blank'}: give a path, or leave --${flag} out`,
      EXIT.usage,
    );
}
