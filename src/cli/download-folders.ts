/**
 * What a run's downloads need to know of the folders they land in, read once per folder for the whole run
 * (a look per file reads a folder of N files N times): which entries it holds, so a download learns whether
 * its local name is a folder and what is kept of an interrupted download of it without a call of its own.
 * The run names each local file once and writes only its own, so the first reading stays true for them.
 */
import { readdir } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';

/**
 * What a local name is: nothing yet, a regular file, a folder, or something else (a device such as /dev/null, a
 * pipe, a socket), which a download must not replace with a file.
 */
export type EntryKind = 'none' | 'file' | 'folder' | 'other';

/** The kind of what `stat` found (`undefined`: nothing there). */
export const entryKind = (found: Pick<Stats, 'isFile' | 'isDirectory'> | undefined): EntryKind =>
  found === undefined ? 'none' : found.isFile() ? 'file' : found.isDirectory() ? 'folder' : 'other';

/** One folder as the run first read it. */
export interface FolderListing {
  /** Every entry's name. */
  names: string[];
  /** What `name` is: `undefined` when the listing cannot tell (a symlink, to be followed). */
  kindOf: (name: string) => EntryKind | undefined;
}

export class DownloadFolders {
  private readonly listings = new Map<string, Promise<FolderListing | undefined>>();

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
    names: [...byName.keys()],
    kindOf: (name) => {
      const entry = byName.get(name);
      return entry?.isSymbolicLink() ? undefined : entryKind(entry);
    },
  };
}
