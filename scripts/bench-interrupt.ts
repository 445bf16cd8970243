/**
 * What a bench stopped by a signal (Ctrl-C, SIGTERM) must still undo before it exits: the servers it started
 * are killed and the folders it made removed, not left running or filling /dev/shm with a 1 GiB test file.
 * A step registers while its thing exists and unregisters once it has undone it itself.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

const steps = new Set<() => void>();

/** Runs `undo` if a signal stops the bench before the returned function is called (the normal way out). */
export function undoIfInterrupted(undo: () => void): () => void {
  steps.add(undo);
  return () => void steps.delete(undo);
}

/** A new folder under `under` (named `prefix` and six characters), removed by `remove` or by a signal before it. */
export async function temporaryFolder(
  under: string,
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(under, prefix));
  const removed = undoIfInterrupted(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    remove: async () => {
      await rm(path, { recursive: true, force: true });
      removed();
    },
  };
}

/** On SIGINT or SIGTERM: every registered step, newest first, then exit as the signal would (130, 143). */
export function undoOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => {
      for (const undo of [...steps].reverse()) {
        try {
          undo();
        } catch {
          // Gone already, or not ours to remove: the rest still gets undone.
        }
      }
      console.error(`\nbench stopped by ${signal}: its servers killed and its folders removed`);
      process.exit(code);
    });
}
