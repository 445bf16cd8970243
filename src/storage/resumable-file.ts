/**
 * A file received so that an interruption keeps what came (the resume extension): like atomic-file.ts it
 * is written under a hidden name in its final folder, held open, and appears under its final name only
 * once committed; unlike it, an abort keeps the hidden file (`.NAME.TAG.wirestate-resume`), and a later
 * transfer of the same TAG continues it after the `start` bytes it keeps.
 */
import { constants, createWriteStream, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { link, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { closeAfterEnd, syncPath, type AtomicFileOptions } from './atomic-file';
import type { IncomingFile } from './file-store';
import { holdFolder } from './held-folder';
import { readRange } from './read-range';

/** Bytes buffered towards the disk before the writer asks the socket to pause (as atomic-file.ts). */
const WRITE_BUFFER = 1024 * 1024;

/** `start` 0 begins the kept file afresh (replacing any under that name); more keeps its first `start` bytes. */
export function createResumableFile(
  finalPath: string,
  keptName: string,
  start: number,
  options: AtomicFileOptions,
): IncomingFile {
  const folder = holdFolder(
    dirname(finalPath),
    options.root === undefined ? { followLink: true } : { root: options.root },
  );
  const finalName = folder.path(basename(finalPath));
  const keptPath = folder.path(keptName);
  let fd: number;
  try {
    const flags = start > 0 ? constants.O_RDWR : constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC;
    fd = openSync(keptPath, flags | constants.O_NOFOLLOW, 0o644);
    if (start > 0) ftruncateSync(fd, start);
  } catch (error) {
    folder.close();
    throw error;
  }
  const stream = createWriteStream(keptPath, { fd, start, highWaterMark: WRITE_BUFFER });
  let state: 'writing' | 'committing' | 'abandoned' | 'done' = 'writing';
  const isAbandoned = () => state === 'abandoned';
  const interrupted = new Error('aborted while committing');
  const remove = () => {
    try {
      unlinkSync(keptPath);
    } catch {
      // already gone
    }
  };

  return {
    stream,
    kept: start > 0 ? readRange(keptPath, start) : undefined,
    async commit() {
      state = 'committing';
      try {
        await closeAfterEnd(stream);
        await syncPath(keptPath);
        if (isAbandoned()) throw interrupted;
        if (options.noClobber) {
          await link(keptPath, finalName);
          await unlink(keptPath);
        } else {
          await rename(keptPath, finalName);
        }
        folder.sync();
      } catch (error) {
        // Only an interruption keeps the bytes; a failure of the storage itself (ENOSPC, EIO) keeps nothing.
        if (error !== interrupted) remove();
        throw error;
      } finally {
        state = 'done';
        folder.close();
      }
    },
    /** Keeps what was written: the stream writes out what it holds, then closes. */
    abort() {
      if (state === 'committing') state = 'abandoned';
      if (state !== 'writing') return;
      state = 'done';
      stream.once('close', () => folder.close());
      stream.once('error', () => undefined);
      stream.end();
    },
    discard() {
      if (state === 'committing') state = 'abandoned';
      if (state !== 'writing') return;
      state = 'done';
      stream.destroy();
      remove();
      folder.close();
    },
  };
}
