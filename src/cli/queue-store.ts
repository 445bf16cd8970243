/**
 * Opens the queue's store (`--store PATH`), saying in one line why a path cannot be one, and stops the server when
 * it breaks. Its folders are made here (lmdb's own recursive mkdir never returns under /proc), and a file lmdb did
 * not write (a text file, a truncated one), which would crash the whole process inside lmdb's native code, is
 * refused before lmdb sees it.
 *
 * lmdb's rule: a name with an extension is the database file itself (FILE-lock beside it); a name without
 * one is a folder holding data.mdb and lock.mdb.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { LmdbKeeper } from '../../machines/queue/lmdb-keeper';
import { EXIT } from '../engine/exit-codes';
import { errnoName, errorCode } from '../storage/errors';
import { FolderNotMade, makeFolders } from '../storage/make-folders';
import { CommandError } from './command-error';
import { refuseEmptyPath } from './empty-path';
import { errnoWords } from '../log/errno-words';
import { folderWords } from './folder-words';
import { newFileProblem } from './new-file-problem';
import { FAULT_GRACE_MS, type Serving } from './serve';

/**
 * Where lmdb-js's meta pages (the file's first two pages, one per alternate commit) keep what is checked here,
 * little-endian: the magic number, the page size (the main database's `md_pad`), the last page the commit uses
 * and the commit's transaction id.
 */
const META = { magic: 24, pageSize: 48, lastPage: 144, txnId: 152, end: 160 } as const;
const MAGIC = 0xbeefc0de;

export async function openQueueStore(path: string): Promise<LmdbKeeper> {
  refuseEmptyPath('store', path);
  const refuse = (why: string) => new CommandError(`cannot keep the queue in --store ${path}: ${why}`, EXIT.localFile);
  const problem = storePathProblem(path);
  if (problem) throw refuse(problem);
  // lmdb (a native module) loads only for --store.
  const { LmdbKeeper } = await import('../../machines/queue/lmdb-keeper');
  try {
    return LmdbKeeper.open(path);
  } catch (error) {
    const code = lmdbErrorCode(error);
    throw refuse(code === 'unknown' ? (error as Error).message : errnoWords(code));
  }
}

/**
 * A store that breaks while the server runs (lmdb-keeper.ts) stops it: one error line, the connections still open
 * reset once FAULT_GRACE_MS has let those that can end, exit 7 (EXIT.localFile, as for a store it cannot open), so
 * that a supervisor restarts it on what the disk holds.
 */
export function stopWhenBroken(keeper: LmdbKeeper, serving: Serving): void {
  keeper.whenBroken((error) => {
    keeper.abandon();
    const code = errorCode(error);
    serving.fail(
      `store ${keeper.path} broke: ${error.message} (${code}); stopping: connections still open get ${FAULT_GRACE_MS / 1000} s, then are reset; what it stored is read back at the next start`,
      { event: 'store_broken', store: keeper.path, code, detail: error.message },
      EXIT.localFile,
    );
  });
}

/** lmdb's errors carry the errno as a number (2), where Node's carry its name (ENOENT). */
function lmdbErrorCode(error: unknown): string {
  const number = (error as { code?: unknown } | null)?.code;
  if (typeof number !== 'number') return errorCode(error);
  return errnoName(number) ?? 'unknown';
}

/** Why lmdb cannot keep a store at `path`; undefined for an existing store, an empty file, or none yet (its folder then made). */
function storePathProblem(path: string): string | undefined {
  const isFile = extname(path) !== '';
  const folder = isFile ? dirname(path) : path;
  const dataFile = isFile ? path : join(path, 'data.mdb');
  try {
    makeFolders(folder);
  } catch (error) {
    const fileNamedAsFolder = !isFile && error instanceof FolderNotMade && error.problem.kind === 'not_a_folder';
    return fileNamedAsFolder && error.problem.part === path
      ? 'it is a file; a --store name with no extension is a folder (name a store file like queue.lmdb)'
      : folderWords(path, error);
  }
  const found = statSync(dataFile, { throwIfNoEntry: false });
  if (found === undefined) return newFileProblem(dataFile, folder);
  if (found.isFile() && found.size === 0) return undefined;
  if (found.isDirectory()) return 'it is a folder; a --store name with an extension is the database file';
  const it = isFile ? 'it' : dataFile;
  const needed = found.isFile() ? bytesCommitted(dataFile) : undefined;
  if (needed === undefined) return `${it} is not an lmdb store; name a new file, or a store an earlier run made`;
  if (found.size < needed)
    return `${it} is cut short (${found.size} bytes, where its last commit reaches ${needed}), which lmdb would crash on; restore it, or move it away to start an empty queue`;
  return undefined;
}

/** How far into the file lmdb's newest commit reaches (its last page's end), or undefined if lmdb did not write it. */
function bytesCommitted(file: string): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const meta = (at: number) => {
      const page = Buffer.alloc(META.end);
      if (readSync(fd, page, 0, page.length, at) !== page.length || page.readUInt32LE(META.magic) !== MAGIC) return;
      return {
        pageSize: page.readUInt32LE(META.pageSize),
        lastPage: Number(page.readBigUInt64LE(META.lastPage)),
        txnId: page.readBigUInt64LE(META.txnId),
      };
    };
    const first = meta(0);
    if (first === undefined) return undefined;
    const second = meta(first.pageSize);
    const newest = second !== undefined && second.txnId > first.txnId ? second : first;
    // Both meta pages at least, even where the second is missing (a file cut inside it).
    return (Math.max(newest.lastPage, 1) + 1) * first.pageSize;
  } finally {
    closeSync(fd);
  }
}
