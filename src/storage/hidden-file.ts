/**
 * A file received under a hidden name in its final folder, which the storage's kinds of incoming file
 * (atomic-file.ts, resumable-file.ts) share: one commit routine, and the two ways to stop it. The commit
 * writes and syncs every byte, then moves the file into place in that held folder (linked, so that a file
 * that appeared under the final name meanwhile is not replaced, with `noClobber`; renamed over it without)
 * and syncs the folder, so the file is durable once the commit returns (or leaves that sync to whoever wants one
 * sync for many files: `syncFolderLater`).
 */
import { linkSync, renameSync, unlinkSync } from 'node:fs';
import type { DiskWriteStream } from './disk-write-stream';
import type { HeldFolder } from './held-folder';

export interface HiddenFileParts {
  /** The folder both names are in: closed once the file is committed or stopped. */
  folder: HeldFolder;
  /** What writes the hidden file: its end syncs every byte, so a commit needs no second open of the file. */
  stream: DiskWriteStream;
  /** The hidden name's path in `folder`. */
  hiddenPath: string;
  /** The final name's path in `folder`. */
  finalPath: string;
  /** Fail with EEXIST rather than replace a file that appeared under the final name. */
  noClobber: boolean;
  /** Given: the commit leaves the folder's sync to the caller, told the folder's real path once the file is in place. */
  syncFolderLater?: (realPath: string) => void;
}

export interface HiddenFile {
  /**
   * Moves the file into place. A failure removes the hidden file, except one that is a stop's (`keep` or
   * `discard` during the commit, which fails it before the file appears) when `keptWhenStopped`.
   */
  commit(keptWhenStopped: boolean): Promise<void>;
  /** Stops and removes the hidden file, at once (during a commit too). Safe at any time and more than once. */
  discard(): void;
  /** Stops and keeps the hidden file: the stream writes out what it holds, then closes. False if it was stopped already. */
  keep(): boolean;
}

export function hiddenFile({
  folder,
  stream,
  hiddenPath,
  finalPath,
  noClobber,
  syncFolderLater,
}: HiddenFileParts): HiddenFile {
  let state: 'writing' | 'committing' | 'stopped' | 'done' = 'writing';
  /** Read through a call: `stop` changes `state` while `commit` awaits. */
  const isStopped = () => state === 'stopped';
  const stoppedError = new Error('aborted while committing');
  const remove = () => {
    try {
      unlinkSync(hiddenPath);
    } catch {
      // already gone
    }
  };
  /** Stops a commit under way; true while the file was still being written, which the caller then ends. */
  const stop = () => {
    if (state === 'committing') state = 'stopped';
    if (state !== 'writing') return false;
    state = 'done';
    return true;
  };

  return {
    async commit(keptWhenStopped) {
      state = 'committing';
      try {
        await closeAfterEnd(stream);
        if (isStopped()) throw stoppedError;
        // Synchronous, as the folder's sync: metadata a disk answers from memory, cheaper than the thread pool.
        if (noClobber) {
          linkSync(hiddenPath, finalPath);
          unlinkSync(hiddenPath);
        } else {
          renameSync(hiddenPath, finalPath);
        }
        if (syncFolderLater) syncFolderLater(folder.realPath);
        else folder.sync();
      } catch (error) {
        if (!(keptWhenStopped && error === stoppedError)) remove();
        throw error;
      } finally {
        state = 'done';
        folder.close();
      }
    },
    discard() {
      const was = state;
      const writing = stop();
      if (writing) stream.destroy();
      // During a commit too, at once: a signal's process exits before the commit hears that it was stopped.
      if (writing || was === 'committing') remove();
      if (writing) folder.close();
    },
    keep() {
      if (!stop()) return false;
      stream.once('close', () => folder.close());
      stream.once('error', () => undefined);
      stream.end();
      return true;
    },
  };
}

/** Ends the stream and resolves once its descriptor is closed, every byte written and synced. */
function closeAfterEnd(stream: DiskWriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('close', () => (stream.errored ? reject(stream.errored) : resolve()));
    stream.end();
  });
}
