/**
 * What the transfer machines need from the files on each side. The machines
 * stay free of `node:fs`: the server gets a jailed folder (src/storage), tests
 * get memory, and the client gets one local path.
 */
import type { Readable } from 'node:stream';
import type { IncomingFile } from '../../src/engine/file-actors';

/**
 * A lookup that succeeds returns `ref`, an opaque handle (for a folder, the
 * resolved path) that later calls use. The lookup only answers the request:
 * `read` and `receive` check again what they actually open, since the path may
 * lead elsewhere by then (a folder swapped for a symlink), and fail if it does.
 */
export type DownloadLookup =
  | { kind: 'found'; size: number; ref: string }
  | { kind: 'missing' }
  | { kind: 'busy' }
  | { kind: 'refused'; code: string };

export type UploadLookup = { kind: 'free'; ref: string } | { kind: 'exists' } | { kind: 'busy' } | { kind: 'refused'; code: string };

/** The server's files. Lookups take holds on names for `owner` until `release(owner)`. */
export interface ServerFiles {
  lookupDownload(name: string, owner: string): Promise<DownloadLookup>;
  reserveUpload(name: string, owner: string): Promise<UploadLookup>;
  hasRoomFor(ref: string, size: number): Promise<boolean>;
  release(owner: string): void;
  /** The first `size` bytes of the file; errors if it is shorter or now leads outside the store. */
  read(ref: string, size: number): Readable;
  /** Throws, before creating anything, if `ref`'s folder now leads outside the store. */
  receive(ref: string): IncomingFile;
}

/** The client's one local file. */
export interface LocalFile {
  hasRoomFor(size: number): Promise<boolean>;
  read(size: number): Readable;
  receive(): IncomingFile;
}
