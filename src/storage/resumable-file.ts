/**
 * A file received so that an interruption keeps what came (the resume extension): like atomic-file.ts it
 * is written under a hidden name in its final folder, held open, and appears under its final name only
 * once committed; unlike it, an abort keeps the hidden file (`.NAME.TAG.wirestate-resume`), and a later
 * transfer of the same TAG continues it after the `start` bytes it keeps.
 */
import { constants, ftruncateSync, openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AtomicFileOptions, FileOnDisk } from './atomic-file';
import { DiskWriteStream } from './disk-write-stream';
import { hiddenFile } from './hidden-file';
import { holdFolder } from './held-folder';
import { readRange } from './read-range';
import { unwrittenEnd, writtenAtExit } from './written-at-exit';

/** `start` 0 begins the kept file afresh (replacing any under that name); more keeps its first `start` bytes. */
export function createResumableFile(
  finalPath: string,
  keptName: string,
  start: number,
  options: AtomicFileOptions,
): FileOnDisk {
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
  const stream = new DiskWriteStream(fd, start);
  const file = hiddenFile({
    folder,
    stream,
    hiddenPath: keptPath,
    finalPath: finalName,
    noClobber: options.noClobber,
    syncFolderLater: options.syncFolderLater,
  });
  return {
    stream,
    kept: start > 0 ? readRange(keptPath, start, { appended: true }) : undefined,
    // Only an interruption keeps the bytes; a failure of the storage itself (ENOSPC, EIO) keeps nothing.
    commit: () => file.commit(true),
    // A part with no byte in it is not kept: there is nothing to resume from.
    abort: (unwritten) => {
      if (start === 0 && unwritten && unwrittenEnd(unwritten) === 0) file.discard();
      else if (file.keep() && unwritten)
        writtenAtExit({ path: join(dirname(finalPath), keptName), fd, start }, unwritten, stream);
    },
    discard: () => file.discard(),
  };
}
