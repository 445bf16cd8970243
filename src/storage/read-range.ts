import { close, open, read } from 'node:fs';
import { errorCode } from './errors';
import type { OutgoingFile } from './file-store';

/**
 * The first `size` bytes of the file at `file` (a path, opened at the first read, or a descriptor it then
 * owns), read straight into the caller's buffers: nothing is allocated per read.
 */
export function readRange(file: string | number, size: number): OutgoingFile {
  let position = 0;
  let closed = false;
  let descriptor: Promise<number> | undefined;
  // A read in flight: the descriptor is closed only after it, so its number cannot be reused under it.
  let reading: Promise<unknown> = Promise.resolve();
  const opened = () =>
    (descriptor ??=
      typeof file === 'number'
        ? Promise.resolve(file)
        : new Promise((resolve, reject) => open(file, 'r', (error, fd) => (error ? reject(error) : resolve(fd)))));
  const readInto = async (into: Buffer): Promise<number> => {
    const wanted = Math.min(into.length, size - position);
    if (wanted <= 0 || closed) return 0;
    const fd = await opened();
    const count = await new Promise<number>((resolve, reject) =>
      read(fd, into, 0, wanted, position, (error, bytes) => (error ? reject(error) : resolve(bytes))),
    );
    position += count;
    return count;
  };
  return {
    read: (into) => {
      const next = readInto(into);
      reading = next.catch(() => undefined);
      return next;
    },
    close: () => {
      if (closed) return;
      closed = true;
      // A path never read was never opened; a descriptor handed over is closed either way.
      if (typeof file === 'string' && descriptor === undefined) return;
      void reading.then(() =>
        opened().then(
          (fd) => close(fd, () => undefined),
          () => undefined,
        ),
      );
    },
  };
}

/**
 * A file that could not be opened: its first read fails with `error`, or, for a thrown value that is no
 * `Error` of this realm (Node's own errors under jest's sandbox), an `Error` that keeps its code.
 */
export function unreadable(error: unknown): OutgoingFile {
  return {
    read: () =>
      Promise.reject(
        error instanceof Error ? error : Object.assign(new Error(String(error)), { code: errorCode(error) }),
      ),
    close: () => undefined,
  };
}
