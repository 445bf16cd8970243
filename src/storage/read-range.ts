import { closeSync, open, read, readSync } from 'node:fs';
import type { OutgoingFile } from './file-store';
import { WirestateError } from './errors';
import { fileStatus } from './file-status';

/**
 * Reads of at most this many bytes from a descriptor already open are made at once, synchronously, as the
 * lookup's calls are: a few microseconds from the page cache, where a trip through the thread pool cost a
 * 1 KiB download more CPU than the read itself and a turn of the loop before its reply could go.
 */
const SYNC_READ_MAX = 64 * 1024;

/**
 * The first `size` bytes of the file at `file` (a path, opened at the first read, or a descriptor it then
 * owns), read straight into the caller's buffers: nothing is allocated per read. `whole`: the range is the
 * whole file, announced by its size: the read that ends it fails (`file.size_changed`) when the file has
 * grown since, so that its last bytes never go and the peer never stores a file cut short. Likewise the read
 * that reaches `size` fails (`file.size_changed`) when the file was written to since the first read (fileStatus),
 * unless `appended`: a resumable part read while its new bytes are written after the range.
 */
export function readRange(file: string | number, size: number, { whole = false, appended = false } = {}): OutgoingFile {
  let position = 0;
  /** The file's status before its first read, compared after the last. */
  let before: string | undefined;
  const checkUnchanged = (fd: number) => {
    if (!appended && position === size && fileStatus(fd) !== before)
      throw new WirestateError('file.size_changed', 'rewritten while it was read');
  };
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
    if (typeof file === 'number' && wanted <= SYNC_READ_MAX) {
      before ??= fileStatus(file);
      const count = readSync(file, into, 0, wanted, position);
      position += count;
      checkUnchanged(file);
      return count;
    }
    const fd = await opened();
    before ??= fileStatus(fd);
    const count = await readAt(fd, into, wanted, position);
    position += count;
    if (whole && position === size && (await readAt(fd, Buffer.alloc(1), 1, size)) > 0)
      throw new WirestateError('file.size_changed', `grew past the ${size} bytes announced`);
    checkUnchanged(fd);
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
          (fd) => closeQuietly(fd),
          () => undefined,
        ),
      );
    },
  };
}

const readAt = (fd: number, into: Buffer, length: number, position: number) =>
  new Promise<number>((resolve, reject) =>
    read(fd, into, 0, length, position, (error, bytes) => (error ? reject(error) : resolve(bytes))),
  );

/** Closes `fd` at once (a few microseconds; the thread pool cost a small download a trip), whatever the system says. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing was written through it: a failed close loses nothing.
  }
}

/** A file that could not be opened: its first read fails with `error`. */
export function unreadable(error: Error): OutgoingFile {
  return { read: () => Promise.reject(error), close: () => undefined };
}
