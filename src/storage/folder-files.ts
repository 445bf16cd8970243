/**
 * The transfer server's files: one root folder, nothing outside it. Names are
 * checked, then resolved through symlinks and refused if the real path leaves
 * the root; uploads are atomic and never replace an existing file. A lookup
 * only answers the request: bytes move through a descriptor checked again
 * when it is opened (jail.ts, held-folder.ts), so a folder swapped for a
 * symlink in between leads nowhere outside the root. A download's lookup asks
 * the file system synchronously, as the jail does: three calls of a few
 * microseconds each, where the thread pool cost a round trip through the loop
 * apiece (a 1 KiB download's reply waited on three of them), and answers at once.
 */
import { accessSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { constants, lstat, opendir, readdir, realpath } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { basename, dirname, join, relative } from 'node:path';
import type {
  DownloadLookup,
  IncomingFile,
  KeptPart,
  ListedFile,
  OutgoingFile,
  ServerFiles,
  UploadLookup,
} from './file-store';
import { errorCode } from './errors';
import { createAtomicFile, type FileOnDisk } from './atomic-file';
import { availableBytes } from './free-space';
import { holdFolder } from './held-folder';
import { makeFolders } from './make-folders';
import { assertInside, openFileInside } from './jail';
import { NameHolds } from './name-holds';
import { RoomPromises } from './room-promises';
import { checkName, checkNewName, isWirestatePart } from './name-rules';
import { readRange, unreadable } from './read-range';
import { createResumableFile } from './resumable-file';
import { LiveParts } from './live-parts';
import { resumeNameFor } from './resume-names';
import { outgoingBytes } from './outgoing-bytes';

/** Folder entries a listing reads and checks between two turns of the loop. */
const LIST_BATCH = 64;

export class FolderFiles implements ServerFiles {
  readonly holds = new NameHolds();
  private readonly room = new RoomPromises();
  /** The kept uploads connections are writing, which the expiry sweep leaves alone. */
  readonly liveParts: LiveParts;

  private constructor(readonly root: string) {
    this.liveParts = new LiveParts(root);
  }

  /** Opens (creating if absent) the folder to serve. */
  static async open(root: string): Promise<FolderFiles> {
    makeFolders(root);
    return new FolderFiles(await realpath(root));
  }

  /** Answers at once (throws if the file goes between the calls): the lookup's actor (from-answer.ts) takes either. */
  lookupDownload(name: string, owner: string): DownloadLookup {
    const found = this.downloadable(name);
    if (found.kind !== 'found') return found;
    if (!this.holds.share(this.key(found.ref), owner)) return { kind: 'busy' };
    return found;
  }

  /** What a download of `name` would find, holds aside: the name rules, the jail, a regular file this process may read. */
  private downloadable(name: string): Exclude<DownloadLookup, { kind: 'busy' }> {
    let path: string;
    try {
      path = assertInside(this.root, realpathSync.native(join(this.root, ...checkName(name))));
    } catch (error) {
      return errorCode(error) === 'ENOENT' ? { kind: 'missing' } : refusal(error);
    }
    const info = statSync(path);
    if (!info.isFile()) return { kind: 'refused', code: 'file.not_regular' };
    if (!permitted(path, constants.R_OK)) return { kind: 'refused', code: 'EACCES' };
    return { kind: 'found', size: info.size, mtimeMs: info.mtimeMs, ref: path };
  }

  /**
   * Every entry of the root that `downloadable` finds, read from the folder a few entries at a time. Its
   * checks are the download's own synchronous calls, so the loop gets a turn after every LIST_BATCH
   * entries: a folder of 100,000 files never holds it for more than one batch.
   */
  async *listFiles(): AsyncGenerator<ListedFile> {
    let looked = 0;
    for await (const entry of await opendir(this.root, { bufferSize: LIST_BATCH })) {
      if (++looked % LIST_BATCH === 0) await nextTurn();
      let found: ReturnType<FolderFiles['downloadable']>;
      try {
        found = this.downloadable(entry.name);
      } catch {
        continue; // gone between the folder's read and its check
      }
      if (found.kind === 'found') yield { name: entry.name, size: found.size, mtimeMs: found.mtimeMs };
    }
  }

  /**
   * Answers at once, as `lookupDownload` does: the name is claimed in the step that asked, while the connection
   * is there. Answered after a turn of the loop, a claim could come after a reset had ended the connection and
   * released its names, and held the name until the server stopped (every later upload of it refused, busy).
   */
  reserveUpload(name: string, owner: string): UploadLookup {
    let path: string;
    let segments: string[] = [];
    try {
      segments = checkNewName(name);
      const folder = assertInside(this.root, realpathSync.native(join(this.root, ...segments.slice(0, -1))));
      path = join(folder, segments[segments.length - 1]);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR')
        return { kind: 'refused', code, detail: `no such folder: ${segments.slice(0, -1).join('/')}` };
      return refusal(error);
    }
    if (!permitted(dirname(path), constants.W_OK)) return { kind: 'refused', code: 'EACCES' };
    if (exists(path)) return { kind: 'exists' };
    if (!this.holds.claim(this.key(path), owner)) return { kind: 'busy' };
    return { kind: 'free', ref: path };
  }

  /** Counts the room promised to the uploads under way, in any folder of the store, as taken. */
  async hasRoomFor(ref: string, size: number): Promise<boolean> {
    return this.room.admit(this.key(ref), size, availableBytes(dirname(ref)));
  }

  release(owner: string): void {
    for (const key of this.holds.release(owner)) this.room.forget(key);
  }

  /**
   * The folders and files in the folder at `path` (relative to the root, '' for the root), sorted, or
   * undefined when that is not a folder inside the root (symlinks resolved).
   */
  async directory(path: string): Promise<{ folders: string[]; files: string[] } | undefined> {
    try {
      const folder = holdFolder(assertInside(this.root, await realpath(join(this.root, path))), { root: this.root });
      const entries = await readdir(folder.path('.'), { withFileTypes: true }).finally(() => folder.close());
      const names = (kind: (entry: (typeof entries)[number]) => boolean) =>
        entries
          .filter((entry) => kind(entry) && !isWirestatePart(entry.name))
          .map((entry) => entry.name)
          .sort();
      return { folders: names((entry) => entry.isDirectory()), files: names((entry) => !entry.isDirectory()) };
    } catch {
      return undefined;
    }
  }

  /** The names in the root folder (files and folders), sorted, wirestate's temporary files left out. */
  async list(): Promise<string[]> {
    return (await readdir(this.root)).filter((name) => !isWirestatePart(name)).sort();
  }

  read(ref: string, size: number): OutgoingFile {
    if (size === 0) return outgoingBytes([]);
    try {
      return readRange(openFileInside(this.root, ref, size), size);
    } catch (error) {
      // openFileInside throws the system's errors (ELOOP, ENOENT, ...), whose code the reader reports.
      return unreadable(error as Error);
    }
  }

  receive(ref: string): IncomingFile {
    return this.promisedTo(ref, createAtomicFile(ref, { noClobber: true, root: this.root }));
  }

  /** The bytes kept of an interrupted resumable upload `id` of `ref` (0: none). */
  async keptUpload(ref: string, id: string): Promise<number> {
    try {
      const info = await lstat(join(dirname(ref), resumeNameFor(basename(ref), id)));
      return info.isFile() ? info.size : 0;
    } catch {
      return 0;
    }
  }

  receiveResumable(ref: string, kept: KeptPart): IncomingFile {
    const name = resumeNameFor(basename(ref), kept.tag);
    const file = createResumableFile(ref, name, kept.start, { noClobber: true, root: this.root });
    return this.promisedTo(ref, this.liveParts.hold(join(dirname(ref), name), file));
  }

  /** The room promised to `ref`'s upload shrinks as its file takes bytes (a resumed one: from its kept bytes on). */
  private promisedTo(ref: string, file: FileOnDisk): FileOnDisk {
    this.room.writing(this.key(ref), () => file.stream.bytesWritten);
    return file;
  }

  private key(path: string): string {
    return relative(this.root, path);
  }
}

function refusal(error: unknown): { kind: 'refused'; code: string } {
  return { kind: 'refused', code: errorCode(error) };
}

/** Whether this process may read or write `path`, asked before a reply promises the transfer. */
function permitted(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}
