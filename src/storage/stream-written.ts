/**
 * Writes on a stream and hears whether it went: a write that fails (`> /dev/full`: ENOSPC, a reader gone: EPIPE)
 * rejects, where left alone its `error` event, heard by no one, would crash the process with a stack trace.
 */
import type { Writable } from 'node:stream';

export const streamWritten = (out: Writable, data: string | Buffer): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    // The failed write is also emitted as an error: listened for until the write is known to have gone.
    out.once('error', reject);
    out.write(data, (error) => {
      if (error) {
        reject(error);
        return;
      }
      out.off('error', reject);
      resolve();
    });
  });
