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

/** Waits for every connection to close, then reports anything left: temp files, holds, open files, actors. */
export async function leftovers(
  t: TestServer,
): Promise<{ temporaryFiles: string[]; holds: number; openFiles: string[]; connections: number }> {
  await t.server.whenIdle();
  return {
    temporaryFiles: await temporaryFiles(t.files.root),
    holds: t.files.holds.size,
    openFiles: await openFilesUnder(t.files.root),
    connections: t.server.open,
  };
}

export const NOTHING_LEFT = { temporaryFiles: [], holds: 0, openFiles: [], connections: 0 };
