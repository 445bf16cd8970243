/**
 * Opens the queue's store (`--store PATH`), saying in one line why a path cannot be one. lmdb makes the
 * missing folders itself, but handed a file it did not write (a text file, a truncated one) it crashes the
 * whole process inside its native code, so such a path is refused here before lmdb sees it.
 *
 * lmdb's rule: a name with an extension is the database file itself (FILE-lock beside it); a name without
 * one is a folder holding data.mdb and lock.mdb.
 */
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { LmdbKeeper } from '../../machines/queue/lmdb-keeper';
import { EXIT } from '../engine/exit-codes';
import { errorCode } from '../storage/errors';
import { CommandError } from './command-error';
import { errnoWords } from './errno-words';

/** lmdb's magic number, little-endian at this offset of the meta page that starts every database file lmdb-js writes. */
const MAGIC = 0xbeefc0de;
const MAGIC_OFFSET = 24;

export async function openQueueStore(path: string): Promise<LmdbKeeper> {
  const refuse = (why: string) => new CommandError(`cannot keep the queue in --store ${path}: ${why}`, EXIT.localFile);
  const problem = storePathProblem(path);
  if (problem) throw refuse(problem);
  // lmdb (a native module) loads only for --store.
  const { LmdbKeeper } = await import('../../machines/queue/lmdb-keeper');
  try {
    return LmdbKeeper.open(path);
  } catch (error) {
    const code = errorCode(error);
    throw refuse(code === 'unknown' ? (error as Error).message : errnoWords(code));
  }
}

/** Why lmdb cannot keep a store at `path`; undefined for an existing store, an empty file, or none yet (its folder then made). */
function storePathProblem(path: string): string | undefined {
  const isFile = extname(path) !== '';
  const folder = isFile ? dirname(path) : path;
  const dataFile = isFile ? path : join(path, 'data.mdb');
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'EEXIST') return `cannot make the folder ${folder}: ${errnoWords(code)}`;
    return isFile
      ? `${folder} is a file, not a folder`
      : 'it is a file; a --store name with no extension is a folder (name a store file like queue.lmdb)';
  }
  const found = statSync(dataFile, { throwIfNoEntry: false });
  if (found === undefined || (found.isFile() && found.size === 0)) return undefined;
  if (found.isDirectory()) return 'it is a folder; a --store name with an extension is the database file';
  if (!found.isFile() || !startsWithMagic(dataFile))
    return `${isFile ? 'it' : dataFile} is not an lmdb store; name a new file, or a store an earlier run made`;
  return undefined;
}

function startsWithMagic(file: string): boolean {
  const head = Buffer.alloc(MAGIC_OFFSET + 4);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && head.readUInt32LE(MAGIC_OFFSET) === MAGIC;
  } finally {
    closeSync(fd);
  }
}
