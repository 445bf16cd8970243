/**
 * What a run's downloads need to know of the folders they land in, read once per folder for the whole run
 * (a look per file reads a folder of N files N times): which entries it holds, so a download learns whether
 * its local name is a folder and what is kept of an interrupted download of it without a call of its own.
 * The run names each local file once and writes only its own, so the first reading stays true for them.
 * It also makes what its downloads moved into place durable: each folder synced once, when its files are in,
 * rather than once per file (see `syncCommitted`).
 */
import { open, readdir } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { RESUME_SUFFIX } from '../storage/name-rules';

/**
 * What a local name is: nothing yet, a regular file, a folder, a character device (/dev/null), which a download
 * writes into as it is, or something else (a pipe, a socket, a block device), which a download must not replace
 * with a file.
 */
export type EntryKind = 'none' | 'file' | 'folder' | 'device' | 'other';

/** The kind of what `stat` found (`undefined`: nothing there). */
export const entryKind = (found: Pick<Stats, 'isFile' | 'isDirectory' | 'isCharacterDevice'> | undefined): EntryKind =>
  found === undefined
    ? 'none'
    : found.isFile()
      ? 'file'
      : found.isDirectory()
        ? 'folder'
        : found.isCharacterDevice()
          ? 'device'
          : 'other';

/** One folder as the run first read it. */
export interface FolderListing {
  /**
   * The names of its interrupted downloads (`*.wirestate-resume`), all that a download looks for among the
   * entries (kept-download.ts): a scan of every entry per file would read a folder of N files N times over.
   */
  keptNames: string[];
  /** What `name` is: `undefined` when the listing cannot tell (a symlink, to be followed). */
  kindOf: (name: string) => EntryKind | undefined;
}

export class DownloadFolders {
  private readonly listings = new Map<string, Promise<FolderListing | undefined>>();
  /** The real paths of the folders a download was moved into since the last `syncCommitted`. */
  private readonly unsynced = new Set<string>();

  /**
   * For `localFile` in a run of several files: a download's file is in place in `realPath`, whose entry the run
   * syncs later. Undefined in a run of one file, which syncs its folder as it moves the file into place.
   */
  readonly syncFolderLater?: (realPath: string) => void;

  constructor(several: boolean) {
    if (several) this.syncFolderLater = (realPath) => this.unsynced.add(realPath);
  }

  /**
   * Syncs every folder a download was moved into (each file's own bytes were synced before it moved), so that
   * every file the run got is on disk to stay, as a sync per file would leave it. Returns the folders that
   * could not be synced, each with its error.
   */
  async syncCommitted(): Promise<{ folder: string; error: unknown }[]> {
    const folders = [...this.unsynced];
    this.unsynced.clear();
    const failures: { folder: string; error: unknown }[] = [];
    for (const folder of folders) {
      try {
        const handle = await open(folder, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        failures.push({ folder, error });
      }
    }
    return failures;
  }

  /** The folder's listing, `undefined` when it cannot be read (missing, not a folder, no permission). */
  listing(folder: string): Promise<FolderListing | undefined> {
    let listing = this.listings.get(folder);
    if (listing === undefined) {
      listing = readdir(folder, { withFileTypes: true }).then(listingOf, () => undefined);
      this.listings.set(folder, listing);
    }
    return listing;
  }
}

function listingOf(entries: Dirent[]): FolderListing {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  return {
    keptNames: [...byName.keys()].filter((name) => name.endsWith(RESUME_SUFFIX)),
    kindOf: (name) => {
      const entry = byName.get(name);
      return entry?.isSymbolicLink() ? undefined : entryKind(entry);
    },
  };
}
