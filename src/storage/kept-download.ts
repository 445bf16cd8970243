/**
 * A client's interrupted download, kept to resume from (the resume extension): `.LOCAL.TAG.wirestate-resume`
 * next to the local file, where TAG is `SIZE-MTIME-NAME` (the server file's size and mtime in ms as the
 * server announced them, and 8 hex digits of the SHA-256 of its name on the server). Its length is what the
 * client has. There is one per local name: starting another download of it removes the rest.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { keptTags, resumeNameFor } from './resume-names';

/** What the client keeps of an interrupted download: `offset` bytes of a file of `size` bytes and `mtimeMs`. */
export interface KeptDownload {
  offset: number;
  size: number;
  mtimeMs: number;
}

const TAG = /^(\d+)-(\d+)-([0-9a-f]{8})$/;
const nameMark = (remote: string) => createHash('sha256').update(remote).digest('hex').slice(0, 8);

/** The tag of the download of `remote` whose size and mtime make `announced` (`SIZE-MTIME`). */
export const keptDownloadTag = (announced: string, remote: string) => `${announced}-${nameMark(remote)}`;

/**
 * What is kept of a download of `remote` into `localPath`; offset 0 when nothing is. `entries`: the folder's,
 * when a run has already read them (those ending `.wirestate-resume` are enough).
 */
export function keptDownload(localPath: string, remote: string, entries = entriesOf(dirname(localPath))): KeptDownload {
  const folder = dirname(localPath);
  for (const tag of keptTags(entries, basename(localPath))) {
    const parts = TAG.exec(tag);
    if (parts?.[3] !== nameMark(remote)) continue;
    try {
      const offset = statSync(join(folder, resumeNameFor(basename(localPath), tag))).size;
      const size = Number(parts[1]);
      if (offset <= size) return { offset, size, mtimeMs: Number(parts[2]) };
    } catch {
      // gone meanwhile
    }
  }
  return { offset: 0, size: 0, mtimeMs: 0 };
}

/** Removes what is kept of downloads into `localPath` but the one tagged `tag`; `entries` as for keptDownload. */
export function removeOtherKeptDownloads(
  localPath: string,
  tag: string,
  entries = entriesOf(dirname(localPath)),
): void {
  const folder = dirname(localPath);
  for (const other of keptTags(entries, basename(localPath))) {
    if (other === tag || !TAG.test(other)) continue;
    try {
      unlinkSync(join(folder, resumeNameFor(basename(localPath), other)));
    } catch {
      // gone meanwhile
    }
  }
}

function entriesOf(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
