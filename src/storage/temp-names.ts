/**
 * Names of in-progress files: `.NAME.PID-RANDOM.wirestate-part`, next to the
 * final file. The writer's process id is in the name so that files left by a
 * process that was killed (and so could not clean up) can be told apart from
 * files another live process is still writing, and removed.
 */
import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode } from '../engine/errors';
import { TEMP_SUFFIX } from './name-rules';

const OWNER = new RegExp(`\\.(\\d+)-[0-9a-f]+${TEMP_SUFFIX.replace('.', '\\.')}$`);

export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

/** Removes temporary files under `dir` whose writer is no longer running; returns their paths. */
export async function removeStaleTempFiles(dir: string, options: { recursive: boolean; forName?: string }): Promise<string[]> {
  const entries = await readdir(dir, { recursive: options.recursive }).catch(() => [] as string[]);
  const stale = entries.filter((entry) => {
    const name = basename(entry);
    if (options.forName !== undefined && !name.startsWith(`.${options.forName}.`)) return false;
    const owner = OWNER.exec(name);
    return owner !== null && !isRunning(Number(owner[1]));
  });
  const removed: string[] = [];
  for (const entry of stale) {
    const path = join(dir, entry);
    await unlink(path).then(
      () => removed.push(path),
      () => undefined, // removed meanwhile by someone else: fine
    );
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) !== 'ESRCH';
  }
}
