/**
 * `wirestate client --list`'s table: one file a line, its size (people's units, right-aligned), its
 * modification time in UTC (ISO 8601 to the second, a space for the `T`) and its name last, so names with
 * spaces read as they are (a control character a hostile server put in one shows as `\xNN`, printable.ts). Names
 * are sorted by their code points, as `LC_ALL=C ls` sorts them.
 */
import type { ListedFile } from '../storage/file-store';
import { formatBytes } from '../log/logger';
import { printable } from './printable';

/** The files by name (code point order: the same on every machine). */
export const byName = (files: ListedFile[]) =>
  [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** `2026-11-30 11:30:58Z`. */
export const listingTime = (mtimeMs: number) => `${new Date(mtimeMs).toISOString().slice(0, 19).replace('T', ' ')}Z`;

/** The table, one line per file in the order given (`byName`'s); empty for an empty folder. */
export function listingText(files: ListedFile[]): string {
  // Not Math.max(...): a folder of 250,000 files would overflow the call stack with as many arguments.
  const width = files.reduce((widest, file) => Math.max(widest, formatBytes(file.size).length), 0);
  return files
    .map((file) => `${formatBytes(file.size).padStart(width)}  ${listingTime(file.mtimeMs)}  ${printable(file.name)}\n`)
    .join('');
}
