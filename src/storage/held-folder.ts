/**
 * A folder held open by its descriptor, so that files are created, linked and
 * removed in the very folder that was checked, whatever happens to its path
 * meanwhile. Node has no openat or linkat: names go through
 * /proc/self/fd/N/NAME, which Linux resolves from the open folder itself, as
 * openat would, never by walking the folder's path again.
 */
import { closeSync, constants, fsyncSync, openSync } from 'node:fs';
import { assertInside, realPathOf } from './jail';

export interface HeldFolder {
  /** The folder's real path when it was opened. */
  readonly realPath: string;
  /** A path that reaches `name` inside this very folder (or the folder itself for '.'). */
  path(name: string): string;
  /** Makes the folder's entries (a file linked in, a name removed) durable. */
  sync(): void;
  close(): void;
}

export interface HoldOptions {
  /** Refuse (`name.escapes`) a folder whose real path is not this root or inside it. */
  root?: string;
  /** Follow a symlink as the path's last part (a client's own folder); never for a folder under a root. */
  followLink?: boolean;
}

/** Opens the folder at `path`, checked as `options` say. */
export function holdFolder(path: string, { root, followLink = false }: HoldOptions = {}): HeldFolder {
  const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | (followLink ? 0 : constants.O_NOFOLLOW));
  let realPath: string;
  try {
    realPath = realPathOf(fd);
    if (root !== undefined) assertInside(root, realPath);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let open = true;
  return {
    realPath,
    path: (name) => `/proc/self/fd/${fd}/${name}`,
    sync: () => fsyncSync(fd),
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
