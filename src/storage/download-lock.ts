/**
 * One download at a time into a local file, across processes: `.NAME.wirestate-lock` next to it, holding the
 * writer's process id, for as long as the download runs. A second process's download of the same file finds it
 * and stops before touching the file or the part the first is writing (which it would otherwise take for an
 * interrupted download's and continue). A lock whose process is gone (a killed download's) is taken over. A
 * folder where no lock can be made (read-only, full) gets none: the download's own writes fail there, saying why.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './errors';
import { LOCK_SUFFIX } from './name-rules';
import { isOtherWriter, tempNameFor, tempPrefixFor } from './temp-names';

/** Tries at taking a lock a gone process held: another process may take it over first. */
const TAKEOVERS = 2;

/** The lock files this process holds: removed as it exits, however it exits. */
const held = new Set<string>();
const removeHeld = () => held.forEach(removeQuietly);
function holding(path: string): void {
  if (held.size === 0) process.once('exit', removeHeld);
  held.add(path);
}
function released(path: string): void {
  held.delete(path);
  if (held.size === 0) process.off('exit', removeHeld);
}

/**
 * The lock taken, or the process id of the live download that holds it. `release` removes it at once (no await:
 * a signal's handler calls it just before the process exits); a second call does nothing.
 */
export type DownloadLock = { release: () => void } | { heldBy: number; path: string };

/**
 * Takes the lock on downloads into `path`. Synchronous: a handful of metadata calls that a disk answers from memory,
 * each far cheaper on the event loop than a round trip through the thread pool (many small files in one run make
 * one lock each), and no exit can come between making a staged file and removing it.
 */
export function lockDownload(path: string): DownloadLock {
  const folder = dirname(path);
  // `.NAME.wirestate-lock`: the prefix ends in the dot the suffix starts with.
  const lockPath = join(folder, `${tempPrefixFor(basename(path))}${LOCK_SUFFIX.slice(1)}`);
  // Written whole under a temporary name, then linked into place: a lock is never seen without its process id.
  const staged = join(folder, tempNameFor(basename(path), LOCK_SUFFIX));
  try {
    writeFileSync(staged, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    // Made but not written (a full disk): it is this process's own, and must not be left for a later run to find.
    if (errorCode(error) !== 'EEXIST') removeQuietly(staged);
    return { release: () => undefined };
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(staged, lockPath);
        // Counted only once linked: a lock in place that another process made must never go with this one's exit.
        holding(lockPath);
        return { release: releaseOnce(lockPath) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST' || attempt === TAKEOVERS) return { release: () => undefined };
      }
      const holder = Number.parseInt(readQuietly(lockPath), 10);
      if (holder > 0 && isOtherWriter(holder)) return { heldBy: holder, path: lockPath };
      removeQuietly(lockPath);
    }
  } finally {
    removeQuietly(staged);
  }
}

function releaseOnce(lockPath: string): () => void {
  let holds = true;
  return () => {
    if (!holds) return;
    holds = false;
    removeQuietly(lockPath);
    released(lockPath);
  };
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // removed meanwhile: taken over by nobody yet
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // removed by hand meanwhile, or never made: nothing to remove
  }
}
