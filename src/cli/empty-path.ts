/** An empty path names nothing: refused as a bad argument, not read as the current folder or as no store at all. */
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';

export function refuseEmptyPath(flag: string, path: string): void {
  if (path === '') throw new CommandError(`--${flag} is empty: give a path, or leave --${flag} out`, EXIT.usage);
}
