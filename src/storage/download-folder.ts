/**
 * A client's local folder for the files it downloads: each written atomically under the name given
 * (replacing a file of that name), removable again when the peer turns out to have lied about it, and
 * asked first whether a size the peer announced fits.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createAtomicFile } from './atomic-file';
import type { IncomingFile } from './file-store';
import { roomIn } from './free-space';

export interface DownloadFolder {
  create(name: string): IncomingFile;
  remove(name: string): Promise<void>;
  hasRoomFor(size: number): boolean;
}

export const downloadFolder = (folder: string): DownloadFolder => ({
  create: (name) => createAtomicFile(join(folder, name), { noClobber: false }),
  remove: (name) => rm(join(folder, name), { force: true }),
  hasRoomFor: roomIn(folder),
});
