/**
 * What a run's downloads need to know of the folders they land in, read once per folder for the whole run
 * (a look per file reads a folder of N files N times): which entries it holds, so a download learns whether
 * its local name is a folder and what is kept of an interrupted download of it without a call of its own.
 * The run names each local file once and writes only its own, so the first reading stays true for them.
 */
import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';

/** One folder as the run first read it. */
export interface FolderListing {
  /** Every entry's name. */
  names: string[];
  /** Whether `name` is a folder: `undefined` when the listing cannot tell (a symlink, to be followed). */
  isFolder: (name: string) => boolean | undefined;
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
    isFolder: (name) => {
      const entry = byName.get(name);
      return entry?.isSymbolicLink() ? undefined : (entry?.isDirectory() ?? false);
    },
  };
}
