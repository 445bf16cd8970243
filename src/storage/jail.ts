/**
 * The root jail, checked on what was actually opened rather than on a path:
 * a path checked now and opened later can be redirected meanwhile (a parent
 * folder swapped for a symlink), a descriptor cannot. The real path of an
 * open descriptor is read back from /proc/self/fd (Linux).
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync } from 'node:fs';
import { basename, sep } from 'node:path';
import { WirestateError } from './errors';

/** Where an open descriptor really is, whatever path opened it. */
export function realPathOf(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

/** Returns `path` if it is `root` or strictly inside it; throws `name.escapes` otherwise. */
export function assertInside(root: string, path: string): string {
  if (path !== root && !path.startsWith(root + sep)) {
    throw new WirestateError('name.escapes', `${basename(path)} resolves outside the root`);
  }
  return path;
}

/**
 * Opens the regular file at `path` for reading, refusing a final symlink, anything but a regular file
 * (without blocking on a FIFO) and a file whose real path is not inside `root`; returns its descriptor.
 * `size`: the bytes its lookup announced. A file that holds another count now (another file renamed over
 * it, as editors and deploy tools save, or one rewritten since) is refused (`file.size_changed`): its
 * bytes would go out cut to the size announced, or short, a file that never existed.
 */
export function openFileInside(root: string, path: string, size?: number): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw Object.assign(new Error(`${basename(path)} is not a regular file`), { code: 'file.not_regular' });
    assertInside(root, realPathOf(fd));
    if (size !== undefined && info.size !== size)
      throw new WirestateError(
        'file.size_changed',
        `changed since it was looked up: ${info.size} bytes now, ${size} announced`,
      );
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
