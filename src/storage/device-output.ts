/**
 * A download into a character device, as curl users write `-o /dev/null`: its bytes are written to the device
 * as they come. A device cannot be replaced by a rename, so there is no temporary file, nothing kept to resume
 * from, and no free space to check. It is opened as `r+`, which neither creates nor truncates: if the device went
 * away meanwhile, the download fails rather than make a regular file in its place.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { LocalFile } from './file-store';

export function deviceOutput(path: string): LocalFile {
  return {
    hasRoomFor: () => true,
    read: () => {
      throw new Error('a device downloaded into is not read');
    },
    receive: () => {
      const stream = createWriteStream(path, { flags: 'r+' });
      return {
        stream,
        // Settles once every byte is written, or fails with the device's error (/dev/full: ENOSPC).
        commit: () => finished(stream.end()),
        abort: () => stream.destroy(),
      };
    },
  };
}
