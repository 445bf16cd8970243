/**
 * A file written under a temporary name in its final folder and moved into
 * place only after every byte is written and synced, so a reader never sees a
 * partial file and an interrupted write leaves nothing behind. The folder is
 * held open from the start (see held-folder.ts): the temporary file is
 * created, linked into place and removed in that very folder, so swapping the
 * folder's path for a symlink meanwhile cannot move any of it elsewhere.
 */
import { createWriteStream, openSync, unlinkSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { IncomingFile } from './file-store';
import { holdFolder } from './held-folder';
import { tempNameFor } from './temp-names';

/** Bytes buffered towards the disk before the writer asks the socket to pause. */
const WRITE_BUFFER = 1024 * 1024;

export interface AtomicFileOptions {
  /** Fail with EEXIST rather than replace a file that appeared under the final name. */
  noClobber: boolean;
  /** Refuse (`name.escapes`) a folder whose real path is not inside this root, checked on the open folder. */
  root?: string;
}

export function createAtomicFile(finalPath: string, options: AtomicFileOptions): IncomingFile {
  const folder = holdFolder(
    dirname(finalPath),
    options.root === undefined ? { followLink: true } : { root: options.root },
  );
  const finalName = folder.path(basename(finalPath));
  const tempPath = folder.path(tempNameFor(basename(finalPath)));
  let fd: number;
  try {
    // Opened synchronously so that an abort right after creation always finds the file to remove.
    fd = openSync(tempPath, 'wx', 0o644);
  } catch (error) {
    folder.close();
    throw error;
  }
  const stream = createWriteStream(tempPath, { fd, highWaterMark: WRITE_BUFFER });
  let state: 'writing' | 'committing' | 'abandoned' | 'done' = 'writing';

  /** Read through a call: `abort` changes `state` while `commit` awaits. */
  const isAbandoned = () => state === 'abandoned';
  const discard = () => {
    try {
      unlinkSync(tempPath);
    } catch {
      // already gone
    }
  };

  return {
    stream,
    async commit() {
      state = 'committing';
      try {
        await closeAfterEnd(stream);
        await syncPath(tempPath);
        if (isAbandoned()) throw new Error('aborted while committing');
        if (options.noClobber) {
          await link(tempPath, finalName);
          await unlink(tempPath);
        } else {
          await rename(tempPath, finalName);
        }
        folder.sync();
      } catch (error) {
        discard();
        throw error;
      } finally {
        state = 'done';
        folder.close();
      }
    },
    abort() {
      // A commit under way stops before the file appears (it removes the temporary file itself).
      if (state === 'committing') state = 'abandoned';
      if (state !== 'writing') return;
      state = 'done';
      stream.destroy();
      discard();
      folder.close();
    },
  };
}

/** Ends the stream and resolves once its descriptor is closed, every byte written. */
export function closeAfterEnd(stream: ReturnType<typeof createWriteStream>): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('close', () => (stream.errored ? reject(stream.errored) : resolve()));
    stream.end();
  });
}

/** fsync of the file at `path`. */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
