/**
 * One download at a time into a local file, across processes: `.NAME.wirestate-lock` next to it, holding the
 * writer's process id, for as long as the download runs. A second process's download of the same file finds it
 * and stops before touching the file or the part the first is writing (which it would otherwise take for an
 * interrupted download's and continue). A lock whose process is gone (a killed download's) is taken over. A
 * folder where no lock can be made (read-only, full) gets none: the download's own writes fail there, saying why.
 */
import { unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './errors';
import { LOCK_SUFFIX } from './name-rules';
import { isOtherWriter, tempNameFor, tempPrefixFor } from './temp-names';

/** Tries at taking a lock a gone process held: another process may take it over first. */
const TAKEOVERS = 2;

/**
 * The lock files this process made and has not removed, staged or in place: removed as it exits, however it exits
 * (Ctrl-C's handler exits while a download may be taking its lock, before it has a `release`).
 */
const made = new Set<string>();
const removeMade = () => made.forEach(removeQuietly);
function madeHere(path: string): void {
  if (made.size === 0) process.once('exit', removeMade);
  made.add(path);
}
function removed(path: string): void {
  made.delete(path);
  if (made.size === 0) process.off('exit', removeMade);
}

/**
 * The lock taken, or the process id of the live download that holds it. `release` removes it at once (no await:
 * a signal's handler calls it just before the process exits); a second call does nothing.
 */
export type DownloadLock = { release: () => void } | { heldBy: number; path: string };

/** Takes the lock on downloads into `path`. */
export async function lockDownload(path: string): Promise<DownloadLock> {
  const folder = dirname(path);
  // `.NAME.wirestate-lock`: the prefix ends in the dot the suffix starts with.
  const lockPath = join(folder, `${tempPrefixFor(basename(path))}${LOCK_SUFFIX.slice(1)}`);
  // Written whole under a temporary name, then linked into place: a lock is never seen without its process id.
  const staged = join(folder, tempNameFor(basename(path), LOCK_SUFFIX));
  madeHere(staged);
  try {
    await writeFile(staged, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
  } catch {
    removed(staged);
    return { release: () => undefined };
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(staged, lockPath);
        // Counted only once linked: a lock in place that another process made must never go with this one's exit.
        madeHere(lockPath);
        return { release: releaseOnce(lockPath) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST' || attempt === TAKEOVERS) return { release: () => undefined };
      }
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (holder > 0 && isOtherWriter(holder)) return { heldBy: holder, path: lockPath };
      await unlink(lockPath).catch(() => undefined);
    }
  } finally {
    await unlink(staged).catch(() => undefined);
    removed(staged);
  }
}

function releaseOnce(lockPath: string): () => void {
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    removeQuietly(lockPath);
    removed(lockPath);
  };
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // removed by hand meanwhile, or never made: nothing to remove
  }
}
