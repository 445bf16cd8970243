/** The client's one local file: read for uploads, replaced atomically by downloads. */
import { basename, dirname, resolve } from 'node:path';
import type { LocalFile } from './file-store';
import { createAtomicFile } from './atomic-file';
import { roomIn } from './free-space';
import { keptDownloadTag, removeOtherKeptDownloads } from './kept-download';
import { readRange } from './read-range';
import { createResumableFile } from './resumable-file';
import { resumeNameFor } from './resume-names';

/**
 * `remote`: the name on the server a download fetches, which names what it keeps when interrupted.
 * `folderEntries`: the names in the file's folder, when a run has already read them (read here otherwise).
 */
export function localFile(path: string, remote = '', folderEntries?: string[]): LocalFile {
  const absolute = resolve(path);
  return {
    hasRoomFor: roomIn(dirname(absolute)),
    read: (size) => readRange(absolute, size),
    receive: (kept) => {
      if (!kept) return createAtomicFile(absolute, { noClobber: false });
      const tag = keptDownloadTag(kept.tag, remote);
      if (kept.start === 0) removeOtherKeptDownloads(absolute, tag, folderEntries);
      return createResumableFile(absolute, resumeNameFor(basename(absolute), tag), kept.start, { noClobber: false });
    },
  };
}
