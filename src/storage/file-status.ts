/**
 * What a write to an open file changes, whatever it writes: its size and its modification time, to the
 * nanosecond the file system keeps. A sender compares it before its first read and after its last one: a file
 * rewritten in place meanwhile (its size unchanged) went out torn. Not the status-change time: a chmod, a new
 * hard link or an extended attribute changes that and leaves the bytes as they were.
 */
import { fstatSync } from 'node:fs';

export function fileStatus(fd: number): string {
  const { size, mtimeNs } = fstatSync(fd, { bigint: true });
  return `${size} ${mtimeNs}`;
}
