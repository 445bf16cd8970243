import { statfs } from 'node:fs/promises';

/** Bytes an unprivileged writer can still use in `dir` (f_bavail, not the disk's size). */
export async function availableBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/** Whether a file of a size a peer announced fits in `dir`: asked before accepting a single byte of it. */
export const roomIn = (dir: string) => async (size: number) => (await availableBytes(dir)) >= size;
