import { statfsSync } from 'node:fs';

/**
 * Bytes an unprivileged writer can still use in `dir` (f_bavail, not the disk's size). Synchronous: the disk's
 * answer and what the uploads under way have written (room-promises.ts) must be read at one moment; with the
 * question out in the thread pool, an upload wrote 2 MiB meanwhile, those bytes were taken off its promise but were
 * not yet off the disk's answer, and a second upload was admitted into room that was not there.
 */
export function availableBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/**
 * How long one answer of statfs stands for a folder, and how much of the room it found the files admitted on
 * it may take together: a run of many small files into one folder asks once a second, not once a file (a
 * statfs a file was a tenth of a 4 KiB download's CPU). A larger file asks afresh. The check only refuses
 * early: a disk that fills anyway fails the write, and nothing is kept.
 */
const FRESH_MS = 1000;
const SHARE_ADMITTED = 0.01;

/** The last folder asked about: what statfs found, when, and the bytes admitted on that answer since. */
let last: { dir: string; bytes: number; at: number; admitted: number } | undefined;

/**
 * Whether a file of a size a peer announced fits in `dir`: asked before accepting a single byte of it. `admit`
 * decides on statfs's answer (default: whether it fits), as room-promises.ts does for files written at once.
 * Synchronous (statfs is, see availableBytes): a client's machine asks it within the step that took the size.
 */
export const roomIn =
  (dir: string, admit = (size: number, available: number) => available >= size) =>
  (size: number): boolean => {
    const now = performance.now();
    if (last?.dir === dir && now - last.at < FRESH_MS && last.admitted + size <= last.bytes * SHARE_ADMITTED) {
      last.admitted += size;
      return true;
    }
    const bytes = availableBytes(dir);
    const admitted = admit(size, bytes);
    last = { dir, bytes, at: performance.now(), admitted: admitted ? size : 0 };
    return admitted;
  };
