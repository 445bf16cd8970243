/** The clean-up invariant: after every connection, whatever its fate, nothing is left behind. */
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestServer } from './servers';

/** Temporary files anywhere under `dir`. */
export async function temporaryFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.wirestate-part')).map((entry) => join(dir, entry));
}

/** Files (not sockets, pipes or the like) this process has open under `dir`. */
export async function openFilesUnder(dir: string): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(dir));
}

/**
 * Files still open under `dir` once they had `withinMs` to close: a connection counts as ended when its machine
 * stops, and the descriptor it wrote through is closed just after (asynchronously); a leaked one stays open.
 */
async function filesLeftOpen(dir: string, withinMs = 2000): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const open = await openFilesUnder(dir);
    if (open.length === 0 || Date.now() >= deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits for every connection to close, then reports anything left: temp files, holds, open files, actors. */
export async function leftovers(
  t: TestServer,
): Promise<{ temporaryFiles: string[]; holds: number; openFiles: string[]; connections: number }> {
  await t.server.whenIdle();
  return {
    temporaryFiles: await temporaryFiles(t.files.root),
    holds: t.files.holds.size,
    openFiles: await filesLeftOpen(t.files.root),
    connections: t.server.open,
  };
}

export const NOTHING_LEFT = { temporaryFiles: [], holds: 0, openFiles: [], connections: 0 };
