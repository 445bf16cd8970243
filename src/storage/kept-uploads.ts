/**
 * The server's sweep of interrupted resumable uploads (`.NAME.ID.wirestate-resume`, resume-names.ts): one
 * removed once nothing was written to it for the time a server keeps them, counted from the end of the
 * connection that last wrote it; one a connection is writing is never removed (live-parts.ts). A run looks
 * at a bounded number of entries (temp-names.ts); a server runs it at start and then on one timer, never
 * one per file.
 */
import { lstat } from 'node:fs/promises';
import { RESUME_SUFFIX } from './name-rules';
import type { LiveParts } from './live-parts';
import { removeFilesUnder } from './temp-names';

/**
 * Removes the kept uploads under `root` unchanged for `keepMs` or longer that no connection is writing (`live`,
 * which also dates a part when its connection ends); returns their paths.
 */
export function removeExpiredUploads(root: string, keepMs: number, live: LiveParts): Promise<string[]> {
  const before = Date.now() - keepMs;
  return removeFilesUnder(root, true, async (name, openPath, shownPath) => {
    if (!name.endsWith(RESUME_SUFFIX) || live.isHeld(shownPath)) return false;
    return (await lstat(openPath)).mtimeMs <= before;
  });
}

/** Sweeps every `everyMs` until the returned stop is called; the timer does not keep the process alive. */
export function sweepExpiredUploads(
  root: string,
  keepMs: number,
  live: LiveParts,
  everyMs: number,
  removed: (paths: string[]) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void removeExpiredUploads(root, keepMs, live)
      .then(removed, () => undefined)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
