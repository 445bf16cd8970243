/**
 * The server's sweep of interrupted resumable uploads (`.NAME.ID.wirestate-resume`, resume-names.ts): one
 * removed once nothing was written to it for the time a server keeps them. A run looks at a bounded number of
 * entries (temp-names.ts); a server runs it at start and then on one timer, never one per file.
 */
import { lstat } from 'node:fs/promises';
import { RESUME_SUFFIX } from './name-rules';
import { removeFilesUnder } from './temp-names';

/** Removes the kept uploads under `root` unchanged for `keepMs` or longer; returns their paths. */
export function removeExpiredUploads(root: string, keepMs: number): Promise<string[]> {
  const before = Date.now() - keepMs;
  return removeFilesUnder(root, true, async (name, openPath) => {
    if (!name.endsWith(RESUME_SUFFIX)) return false;
    return (await lstat(openPath)).mtimeMs <= before;
  });
}

/** Sweeps every `everyMs` until the returned stop is called; the timer does not keep the process alive. */
export function sweepExpiredUploads(
  root: string,
  keepMs: number,
  everyMs: number,
  removed: (paths: string[]) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void removeExpiredUploads(root, keepMs)
      .then(removed, () => undefined)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
