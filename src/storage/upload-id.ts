/**
 * The id of a resumable upload (the resume extension's UPLOAD_OPEN): the first 16 bytes of the SHA-256 of
 * this host's name and the local file's absolute path, device, inode, size and mtime. The same client
 * retrying the same unchanged file finds what the server kept of it; another file, a changed one or another
 * client never does, and the client keeps nothing of its own to know it.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { hostname } from 'node:os';

/** 32 hex digits. */
export function uploadIdOf(absolutePath: string, info: Stats): string {
  return createHash('sha256')
    .update([hostname(), absolutePath, info.dev, info.ino, info.size, info.mtimeMs].join('\0'))
    .digest('hex')
    .slice(0, 32);
}
