/**
 * A file written under a temporary name in its final folder and moved into
 * place only after every byte is written and synced, so a reader never sees a
 * partial file and an interrupted write leaves nothing behind. The folder is
 * held open from the start (see held-folder.ts): the temporary file is
 * created, linked into place and removed in that very folder, so swapping the
 * folder's path for a symlink meanwhile cannot move any of it elsewhere.
 */
import { openSync } from 'node:fs';
import { DiskWriteStream } from './disk-write-stream';
import { basename, dirname } from 'node:path';
import type { IncomingFile } from './file-store';
import { holdFolder } from './held-folder';
import { hiddenFile } from './hidden-file';
import { tempNameFor } from './temp-names';

export interface AtomicFileOptions {
  /** Fail with EEXIST rather than replace a file that appeared under the final name. */
  noClobber: boolean;
  /** Refuse (`name.escapes`) a folder whose real path is not inside this root, checked on the open folder. */
  root?: string;
  /** Sync the folder later, once for many files: see hidden-file.ts. */
  syncFolderLater?: (realPath: string) => void;
}

/** An incoming file written to disk: its stream counts the bytes it wrote (`bytesWritten`). */
export interface FileOnDisk extends IncomingFile {
  readonly stream: DiskWriteStream;
}

export function createAtomicFile(finalPath: string, options: AtomicFileOptions): FileOnDisk {
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
  const stream = new DiskWriteStream(fd);
  const file = hiddenFile({
    folder,
    stream,
    hiddenPath: tempPath,
    finalPath: finalName,
    noClobber: options.noClobber,
    syncFolderLater: options.syncFolderLater,
  });
  return {
    stream,
    // Whatever failed, the storage or an abort during the commit, the temporary file goes.
    commit: () => file.commit(false),
    // A commit under way stops before the file appears (it removes the temporary file itself).
    abort: () => file.discard(),
  };
}
