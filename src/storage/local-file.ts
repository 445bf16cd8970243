/** The client's one local file: read for uploads, replaced atomically by downloads. */
import { basename, dirname, resolve } from 'node:path';
import type { LocalFile } from './file-store';
import { createAtomicFile } from './atomic-file';
import { roomIn } from './free-space';
import { keptDownloadTag, removeOtherKeptDownloads } from './kept-download';
import { readRange } from './read-range';
import { createResumableFile } from './resumable-file';
import { resumeNameFor } from './resume-names';

/** What a run of many files shares with each of its local files. */
export interface LocalFileRun {
  /** The names in the file's folder (those of kept downloads are enough), when the run has read them (read here otherwise). */
  folderEntries?: string[];
  /** Given: a download's folder is synced by the run (once per folder), told its real path; see hidden-file.ts. */
  syncFolderLater?: (realPath: string) => void;
}

/** `remote`: the name on the server a download fetches, which names what it keeps when interrupted. */
export function localFile(path: string, remote = '', { folderEntries, syncFolderLater }: LocalFileRun = {}): LocalFile {
  const absolute = resolve(path);
  return {
    hasRoomFor: roomIn(dirname(absolute)),
    read: (size) => readRange(absolute, size, { whole: true }),
    receive: (kept) => {
      if (!kept) return createAtomicFile(absolute, { noClobber: false, syncFolderLater });
      const tag = keptDownloadTag(kept.tag, remote);
      if (kept.start === 0) removeOtherKeptDownloads(absolute, tag, folderEntries);
      return createResumableFile(absolute, resumeNameFor(basename(absolute), tag), kept.start, {
        noClobber: false,
        syncFolderLater,
      });
    },
  };
}
