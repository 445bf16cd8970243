/**
 * A file written under a temporary name in its final folder and moved into
 * place only after every byte is written and synced, so a reader never sees a
 * partial file and an interrupted write leaves nothing behind.
 */
import { createWriteStream, openSync, unlinkSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingFile } from '../engine/file-actors';
import { tempPathFor } from './temp-names';

/** Bytes buffered towards the disk before the writer asks the socket to pause. */
const WRITE_BUFFER = 1024 * 1024;

export interface AtomicFileOptions {
  /** Fail with EEXIST rather than replace a file that appeared under the final name. */
  noClobber: boolean;
}

export function createAtomicFile(finalPath: string, options: AtomicFileOptions): IncomingFile {
  const dir = dirname(finalPath);
  const tempPath = tempPathFor(finalPath);
  // Opened synchronously so that an abort right after creation always finds the file to remove.
  const stream = createWriteStream(tempPath, { fd: openSync(tempPath, 'wx', 0o644), highWaterMark: WRITE_BUFFER });
  let state: 'writing' | 'committing' | 'done' = 'writing';

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
        await syncPath(tempPath, 'r+');
        if (options.noClobber) {
          await link(tempPath, finalPath);
          await unlink(tempPath);
        } else {
          await rename(tempPath, finalPath);
        }
        await syncPath(dir, 'r');
      } catch (error) {
        discard();
        throw error;
      } finally {
        state = 'done';
      }
    },
    abort() {
      if (state !== 'writing') return;
      state = 'done';
      stream.destroy();
      discard();
    },
  };
}

function closeAfterEnd(stream: ReturnType<typeof createWriteStream>): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('close', () => (stream.errored ? reject(stream.errored) : resolve()));
    stream.end();
  });
}

async function syncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
