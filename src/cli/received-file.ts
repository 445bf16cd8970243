/**
 * Where a client that receives one file (share get, blocks, queue receive) writes it, by what its path names
 * now: nothing, or a regular file it may replace, gets a temporary file renamed over it once whole
 * (atomic-file.ts); a character device (`/dev/null`) is written into as it is (device-output.ts), as the transfer
 * client does, and never replaced; a folder, a pipe or a socket is refused, since the rename would put a file in
 * its place.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createAtomicFile } from '../storage/atomic-file';
import { deviceOutput } from '../storage/device-output';
import type { LocalFile } from '../storage/file-store';
import { roomIn } from '../storage/free-space';
import { entryKind } from './download-folders';

/** Where the file is written: a temporary file renamed into place, or the device itself. */
export type WrittenFile = Pick<LocalFile, 'receive' | 'hasRoomFor'>;
export type ReceivedFile = WrittenFile | { refused: string };

/** `replaces`: an existing regular file is replaced (`--force`, or a queue client's FILE); else it is refused. */
export async function receivedFile(path: string, replaces: boolean): Promise<ReceivedFile> {
  const absolute = resolve(path);
  switch (entryKind(await stat(absolute).catch(() => undefined))) {
    case 'device':
      return deviceOutput(absolute);
    case 'folder':
      return { refused: `${path} is a folder: name a file to write into` };
    case 'other':
      return { refused: `${path} is not a regular file (a pipe or a socket): name a file, or - for stdout` };
    case 'file':
      if (!replaces) return { refused: `${path} exists; --force replaces it` };
  }
  return { receive: () => createAtomicFile(absolute, { noClobber: !replaces }), hasRoomFor: roomIn(dirname(absolute)) };
}
