/** The client's one local file: read for uploads, replaced atomically by downloads. */
import { dirname, resolve } from 'node:path';
import type { LocalFile } from './file-store';
import { createAtomicFile } from './atomic-file';
import { roomIn } from './free-space';
import { readRange } from './read-range';

export function localFile(path: string): LocalFile {
  const absolute = resolve(path);
  return {
    hasRoomFor: roomIn(dirname(absolute)),
    read: (size) => readRange(absolute, size),
    receive: () => createAtomicFile(absolute, { noClobber: false }),
  };
}
