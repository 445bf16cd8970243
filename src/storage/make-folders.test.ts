/** makeFolders on real folders: it makes what is missing, and stops with the part at fault instead of looping. */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderNotMade, makeFolders, type FolderProblem } from './make-folders';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-folders-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

const problemOf = (path: string): FolderProblem | undefined => {
  try {
    makeFolders(path);
    return undefined;
  } catch (error) {
    if (error instanceof FolderNotMade) return error.problem;
    throw error;
  }
};

it('makes every missing folder of a path, and accepts one that is there (through a link too)', async () => {
  expect(problemOf(join(base, 'a', 'b', 'c/'))).toBeUndefined();
  expect(statSync(join(base, 'a', 'b', 'c')).isDirectory()).toBe(true);
  await symlink(join(base, 'a'), join(base, 'link'));
  expect(problemOf(join(base, 'link', 'b'))).toBeUndefined();
  expect(problemOf(join(base, 'link', 'd'))).toBeUndefined();
  expect(existsSync(join(base, 'a', 'd'))).toBe(true);
});

it('names a file in the way, whether it is the path or a part of it', async () => {
  await writeFile(join(base, 'file'), 'x');
  expect(problemOf(join(base, 'file'))).toEqual({ kind: 'not_a_folder', part: join(base, 'file') });
  expect(problemOf(join(base, 'file', 'a', 'b'))).toEqual({ kind: 'not_a_folder', part: join(base, 'file') });
});

it('names a link to nothing and where it leads, making nothing there', async () => {
  await symlink('gone', join(base, 'dang'));
  expect(problemOf(join(base, 'dang', 'files'))).toEqual({
    kind: 'link_to_nothing',
    part: join(base, 'dang'),
    target: 'gone',
  });
  expect(existsSync(join(base, 'gone'))).toBe(false);
});

it('stops under a folder whose file system takes no new folders (procfs)', () => {
  expect(problemOf('/proc/nope/deeper')).toEqual({ kind: 'no_new_folders', part: '/proc' });
});
