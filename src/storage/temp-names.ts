/**
 * Names of in-progress files: `.NAME.PID-RANDOM.wirestate-part`, next to the
 * final file. The writer's process id is in the name so that files left by a
 * process that was killed (and so could not clean up) can be told apart from
 * files another live process is still writing, and removed. NAME is cut to fit
 * (and marked with its digest: tempPrefixFor) so that the temporary name never
 * exceeds the 255 bytes a folder entry may hold, whatever name (up to 255
 * bytes) it stands for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from './errors';
import { holdFolder } from './held-folder';
import { LOCK_SUFFIX, TEMP_SUFFIX } from './name-rules';
const OWNER = new RegExp(
  `\\.(\\d+)-[0-9a-f]+(?:${[TEMP_SUFFIX, LOCK_SUFFIX].map((suffix) => suffix.replace('.', '\\.')).join('|')})$`,
);
/** Bytes of one folder entry's name on Linux file systems. */
const MAX_ENTRY_BYTES = 255;
/** Room for `.`, `.`, a process id (10 digits at most), `-`, 12 hex digits and the suffix (LOCK_SUFFIX is as long). */
const NAME_ROOM = MAX_ENTRY_BYTES - (2 + 10 + 1 + 12 + TEMP_SUFFIX.length);
/** Folders below the root the start-up sweep descends into, at most. */
export const SWEEP_MAX_DEPTH = 32;
/** Folder entries the start-up sweep looks at, at most, so a huge or looping tree cannot hold up the start. */
export const SWEEP_MAX_ENTRIES = 200_000;

/** The temporary name for a file to be called `name` (one folder entry, not a path): a part, or a staged lock. */
export function tempNameFor(name: string, suffix: typeof TEMP_SUFFIX | typeof LOCK_SUFFIX = TEMP_SUFFIX): string {
  return `${tempPrefixFor(name)}${process.pid}-${randomHex()}${suffix}`;
}

/** Random bytes in a name (12 hex digits). */
const NAME_RANDOM_BYTES = 6;
/**
 * Names' random bytes are drawn from the system's generator 512 names' worth at a time: one call per name was 2%
 * of a client's CPU in a run of many small downloads (two names a file: its part and its lock).
 */
const RANDOM_BATCH = 512 * NAME_RANDOM_BYTES;
let random = Buffer.alloc(0);
let randomUsed = 0;

function randomHex(): string {
  if (randomUsed === random.length) {
    random = randomBytes(RANDOM_BATCH);
    randomUsed = 0;
  }
  randomUsed += NAME_RANDOM_BYTES;
  return random.toString('hex', randomUsed - NAME_RANDOM_BYTES, randomUsed);
}

/** `~` and the 16 hex digits of SHA-256 that end a NAME cut to fit. */
const DIGEST_ROOM = 1 + 16;

/**
 * `.NAME.` in at most `room` bytes of NAME (default: what a temporary name leaves): whole when it fits beside a
 * digest, else cut on a character boundary and ended by `~` and 16 hex digits of its SHA-256, so that two long
 * names that begin alike never share a part, a kept file or a download's lock.
 */
export function tempPrefixFor(name: string, room = NAME_ROOM): string {
  if (Buffer.byteLength(name) <= room - DIGEST_ROOM) return `.${name}.`;
  let fitted = '';
  for (const char of name) {
    if (Buffer.byteLength(fitted + char) > room - DIGEST_ROOM) break;
    fitted += char;
  }
  return `.${fitted}~${createHash('sha256')
    .update(name)
    .digest('hex')
    .slice(0, DIGEST_ROOM - 1)}.`;
}

/**
 * Removes temporary files under `dir` whose writer is no longer running; returns their paths. Call it only
 * before this process writes temporary files of its own: one named with its own PID is taken as stale.
 */
export async function removeStaleTempFiles(
  dir: string,
  options: { recursive: boolean; forNames?: Iterable<string> },
): Promise<string[]> {
  // A temporary file's prefix (`.NAME.`) is what comes before its owner: one look-up per entry, however many names.
  const prefixes =
    options.forNames === undefined ? undefined : new Set([...options.forNames].map((name) => tempPrefixFor(name)));
  return removeFilesUnder(dir, options.recursive, (name) => {
    const owner = OWNER.exec(name);
    return (
      owner !== null &&
      (prefixes?.has(name.slice(0, owner.index + 1)) ?? name.startsWith('.')) &&
      !isOtherWriter(Number(owner[1]))
    );
  });
}

/**
 * Removes the regular files under `dir` for which `unwanted` holds (given the entry's name, a path that opens
 * it, and its path as shown: `dir` joined with the folders below it); returns their shown paths. Never
 * follows a symlink below `dir` nor leaves it: each folder is held open and checked (see held-folder.ts);
 * `recursive` descends at most SWEEP_MAX_DEPTH folders and looks at SWEEP_MAX_ENTRIES entries in all.
 */
export async function removeFilesUnder(
  dir: string,
  recursive: boolean,
  unwanted: (name: string, openPath: string, shownPath: string) => boolean | Promise<boolean>,
): Promise<string[]> {
  const removed: string[] = [];
  let budget = SWEEP_MAX_ENTRIES;
  const sweep = async (openPath: string, shownPath: string, depth: number, root?: string): Promise<void> => {
    let folder;
    try {
      folder = holdFolder(openPath, { root, followLink: root === undefined });
    } catch {
      return; // gone, not a folder, a symlink, or outside: nothing to do there
    }
    try {
      const within = root ?? folder.realPath;
      const entries = await readdir(folder.path('.'), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (budget-- <= 0) return;
        if (entry.isDirectory() && recursive && depth < SWEEP_MAX_DEPTH) {
          await sweep(folder.path(entry.name), join(shownPath, entry.name), depth + 1, within);
          continue;
        }
        const shown = join(shownPath, entry.name);
        if (!entry.isFile() || !(await unwanted(entry.name, folder.path(entry.name), shown))) continue;
        await unlink(folder.path(entry.name)).then(
          () => removed.push(shown),
          () => undefined, // removed meanwhile by someone else: fine
        );
      }
    } finally {
      folder.close();
    }
  };
  await sweep(dir, dir, 0);
  return removed;
}

/**
 * Whether the writer that `pid` names may still be writing. Our own PID cannot: every caller sweeps before
 * this process writes a temporary file, so such a file is a predecessor's that had the same PID (a container's
 * server is PID 1 after every restart). Another live process with a reused PID keeps a file until it is gone.
 */
export function isOtherWriter(pid: number): boolean {
  return pid !== process.pid && isRunning(pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) !== 'ESRCH';
  }
  return !hasExited(pid);
}

/**
 * Whether `pid` is a process that has exited and waits for its parent to reap it (a zombie: a killed server
 * restarted at once, its supervisor not yet done with it). It holds its PID and writes nothing. Linux says so in
 * /proc; where there is none, a process that answers a signal is taken as running.
 */
function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
