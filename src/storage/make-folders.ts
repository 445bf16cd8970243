/**
 * Makes a folder and whichever of its parents are missing, one at a time, stopping at the first part that
 * cannot be one. Node's `mkdir(path, { recursive: true })` never returns where mkdir says ENOENT under a
 * folder that exists (procfs: `/proc/nope`): it retries the parent, finds it there, and loops at full CPU.
 */
import { lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorCode } from './errors';

/** What stopped a folder from being made, and the part of the path (as given) it is about. */
export type FolderProblem =
  | { kind: 'not_a_folder'; part: string }
  | { kind: 'link_to_nothing'; part: string; target: string }
  /** `part` is a link that leads back to itself, directly or through others (ELOOP). */
  | { kind: 'link_loop'; part: string }
  /** mkdir said ENOENT inside `part`, a folder that exists: its file system takes no new folders (procfs). */
  | { kind: 'no_new_folders'; part: string }
  | { kind: 'system'; part: string; code: string };

export class FolderNotMade extends Error {
  constructor(readonly problem: FolderProblem) {
    super(`cannot make a folder at ${problem.part}: ${problem.kind === 'system' ? problem.code : problem.kind}`);
    this.name = 'FolderNotMade';
  }
}

/** Creates `path` and its missing parents; throws FolderNotMade naming the part at fault. */
export function makeFolders(given: string): void {
  const path = given.replace(/(.)\/+$/, '$1'); // `files/` is `files`, whose parent is `.`
  const found = look(path);
  if (found === 'folder') return;
  if (found === 'not_a_folder') throw new FolderNotMade({ kind: found, part: path });
  if (found === 'link_to_nothing') throw new FolderNotMade({ kind: found, part: path, target: readlinkSync(path) });
  const parent = dirname(path);
  if (parent !== path) makeFolders(parent);
  try {
    mkdirSync(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST' && look(path) === 'folder') return; // made meanwhile by someone else
    throw new FolderNotMade(
      code === 'ENOENT' ? { kind: 'no_new_folders', part: parent } : { kind: 'system', part: path, code },
    );
  }
}

/** What is at `path`, following links; a part of it that is not a folder makes it missing (its parent says why). */
function look(path: string): 'folder' | 'not_a_folder' | 'link_to_nothing' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'not_a_folder';
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOTDIR') return 'missing';
    if (code === 'ELOOP') throw new FolderNotMade({ kind: 'link_loop', part: loopingPart(path) });
    if (code !== 'ENOENT') throw new FolderNotMade({ kind: 'system', part: path, code });
    return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ? 'link_to_nothing' : 'missing';
  }
}

/** The first part of `path` (as given) that loops: `loop` in `loop/x`, `path` itself when its parents resolve. */
function loopingPart(path: string): string {
  const parent = dirname(path);
  if (parent === path) return path;
  try {
    statSync(parent);
    return path;
  } catch (error) {
    return errorCode(error) === 'ELOOP' ? loopingPart(parent) : path;
  }
}
