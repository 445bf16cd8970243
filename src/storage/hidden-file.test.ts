/**
 * The commit both kinds of incoming file share (hidden-file.ts), through the two that use it, on real files
 * in a temporary folder: what is left on disk after a commit, an abort during it, and a storage failure.
 */
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtomicFile } from './atomic-file';
import { createResumableFile } from './resumable-file';

const KEPT = '.file.txt.tag.wirestate-resume';
let folder: string;
let target: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wirestate-hidden-'));
  target = join(folder, 'file.txt');
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('an atomic file', () => {
  it('replaces a file under the final name when clobbering is allowed, leaving no temporary file', async () => {
    await writeFile(target, 'old');
    const incoming = createAtomicFile(target, { noClobber: false });
    incoming.stream.write('new');
    await incoming.commit();
    expect(await readdir(folder)).toEqual(['file.txt']);
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('aborted during its commit, never appears and leaves nothing', async () => {
    const incoming = createAtomicFile(target, { noClobber: true });
    incoming.stream.write('bytes');
    const committed = incoming.commit();
    incoming.abort();
    await expect(committed).rejects.toThrow('aborted while committing');
    expect(await readdir(folder)).toEqual([]);
  });

  it('aborted during its commit, is gone at once: a process that exits right after leaves no temporary file', async () => {
    const incoming = createAtomicFile(target, { noClobber: false });
    incoming.stream.write('bytes');
    const committed = incoming.commit();
    incoming.abort();
    expect(readdirSync(folder)).toEqual([]);
    await expect(committed).rejects.toThrow('aborted while committing');
  });
});

describe('a resumable file', () => {
  it('continues the kept bytes after `start` and appears whole, its kept file gone', async () => {
    await writeFile(join(folder, KEPT), 'hello, and more that is cut');
    const incoming = createResumableFile(target, KEPT, 5, { noClobber: true });
    incoming.stream.write(' world');
    await incoming.commit();
    expect(await readdir(folder)).toEqual(['file.txt']);
    expect(await readFile(target, 'utf8')).toBe('hello world');
  });

  it('aborted while writing, keeps what was written under its hidden name', async () => {
    const incoming = createResumableFile(target, KEPT, 0, { noClobber: true });
    incoming.stream.write('partial');
    incoming.abort();
    await once(incoming.stream, 'close');
    expect(await readdir(folder)).toEqual([KEPT]);
    expect(await readFile(join(folder, KEPT), 'utf8')).toBe('partial');
  });

  it('aborted during its commit, never appears and keeps its bytes', async () => {
    const incoming = createResumableFile(target, KEPT, 0, { noClobber: true });
    incoming.stream.write('partial');
    const committed = incoming.commit();
    incoming.abort();
    await expect(committed).rejects.toThrow('aborted while committing');
    expect(await readdir(folder)).toEqual([KEPT]);
    expect(await readFile(join(folder, KEPT), 'utf8')).toBe('partial');
  });

  it('never replaces a file that appeared meanwhile, and a failed commit keeps no part', async () => {
    const incoming = createResumableFile(target, KEPT, 0, { noClobber: true });
    await writeFile(target, 'first');
    incoming.stream.write('second');
    await expect(incoming.commit()).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readdir(folder)).toEqual(['file.txt']);
    expect(await readFile(target, 'utf8')).toBe('first');
  });
});
