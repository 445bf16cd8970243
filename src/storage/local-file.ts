/** The client's one local file: read for uploads, replaced atomically by downloads. */
import { basename, dirname, resolve } from 'node:path';
import type { LocalFile } from './file-store';
import { createAtomicFile, type FileOnDisk } from './atomic-file';
import { roomIn } from './free-space';
import { keptDownloadTag, removeOtherKeptDownloads } from './kept-download';
import { readRange } from './read-range';
import { createResumableFile } from './resumable-file';
import { resumeNameFor } from './resume-names';
import type { RoomPromises } from './room-promises';

/** What a run of many files shares with each of its local files. */
export interface LocalFileRun {
  /** The names in the file's folder (those of kept downloads are enough), when the run has read them (read here otherwise). */
  folderEntries?: string[];
  /** Given: a download's folder is synced by the run (once per folder), told its real path; see hidden-file.ts. */
  syncFolderLater?: (realPath: string) => void;
  /** The room promised to the run's downloads under way, counted as taken (keyed by the local file's path). */
  room?: RoomPromises;
}

/** `remote`: the name on the server a download fetches, which names what it keeps when interrupted. */
export function localFile(
  path: string,
  remote = '',
  { folderEntries, syncFolderLater, room }: LocalFileRun = {},
): LocalFile {
  const absolute = resolve(path);
  /** The file being written, what it has written kept off the room promised to it. */
  const promised = (file: FileOnDisk) => {
    room?.writing(absolute, () => file.stream.bytesWritten);
    return file;
  };
  return {
    hasRoomFor: roomIn(dirname(absolute), room && ((size, available) => room.admit(absolute, size, available))),
    read: (size) => readRange(absolute, size, { whole: true }),
    receive: (kept) => {
      if (!kept) {
        // Nothing to resume from (`--plain`, `--no-verify`): once the file is whole, what an interrupted download kept of it is stale.
        const file = promised(createAtomicFile(absolute, { noClobber: false, syncFolderLater }));
        return {
          ...file,
          commit: () => file.commit().then(() => removeOtherKeptDownloads(absolute, '', folderEntries)),
        };
      }
      const tag = keptDownloadTag(kept.tag, remote);
      if (kept.start === 0) removeOtherKeptDownloads(absolute, tag, folderEntries);
      return promised(
        createResumableFile(absolute, resumeNameFor(basename(absolute), tag), kept.start, {
          noClobber: false,
          syncFolderLater,
        }),
      );
    },
  };
}
