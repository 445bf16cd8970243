/**
 * What a write to an open file changes, whatever it writes: its size and its modification and status-change
 * times, to the nanosecond the file system keeps. A sender compares it before its first read and after its
 * last one: a file rewritten in place meanwhile (its size unchanged) went out torn.
 */
import { fstatSync } from 'node:fs';

export function fileStatus(fd: number): string {
  const { size, mtimeNs, ctimeNs } = fstatSync(fd, { bigint: true });
  return `${size} ${mtimeNs} ${ctimeNs}`;
}
