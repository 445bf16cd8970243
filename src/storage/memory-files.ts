/**
 * Server files held in memory, with the same name rules and holds as the
 * folder: lets machine tests and trace replay run without touching a disk.
 */
import { Writable } from 'node:stream';
import type {
  DownloadLookup,
  IncomingFile,
  KeptPart,
  ListedFile,
  OutgoingFile,
  ServerFiles,
  UploadLookup,
} from './file-store';
import { outgoingBytes } from './outgoing-bytes';
import { errorCode } from './errors';
import { NameHolds } from './name-holds';
import { checkName, checkNewName } from './name-rules';

export interface MemoryFilesOptions {
  /** Bytes of room for an upload. */
  capacity?: number;
  /** Make every commit fail with this error code (a full disk: ENOSPC). */
  commitError?: string;
  /** The modification time every file reports (default 0: memory keeps no times). */
  mtimeMs?: number;
  /** Bytes kept of an interrupted resumable upload, whatever its name and id: that many NULs (default none). */
  keptUpload?: number;
}

export class MemoryFiles implements ServerFiles {
  readonly holds = new NameHolds();
  readonly files = new Map<string, Buffer>();
  /** A file's own modification time, where it has one (default: the `mtimeMs` option). */
  readonly mtimes = new Map<string, number>();
  /** Uploads whose bytes have been received but not yet committed or discarded. */
  open = 0;

  constructor(
    initial: Record<string, Buffer | string> = {},
    private readonly options: MemoryFilesOptions = {},
  ) {
    for (const [name, content] of Object.entries(initial)) this.files.set(name, Buffer.from(content));
  }

  lookupDownload(name: string, owner: string): DownloadLookup {
    const key = this.keyOf(name);
    if (typeof key !== 'string') return key;
    const content = this.files.get(key);
    if (!content) return { kind: 'missing' };
    if (!this.holds.share(key, owner)) return { kind: 'busy' };
    return { kind: 'found', size: content.length, mtimeMs: this.mtimeOf(key), ref: key };
  }

  reserveUpload(name: string, owner: string): UploadLookup {
    const key = this.keyOf(name, checkNewName);
    if (typeof key !== 'string') return key;
    if (this.files.has(key)) return { kind: 'exists' };
    if (!this.holds.claim(key, owner)) return { kind: 'busy' };
    return { kind: 'free', ref: key };
  }

  async hasRoomFor(_ref: string, size: number): Promise<boolean> {
    return size <= (this.options.capacity ?? Number.MAX_SAFE_INTEGER);
  }

  release(owner: string): void {
    this.holds.release(owner);
  }

  /** The folders and files directly in `path` ('' for the top), sorted, or undefined when there is no such folder. */
  async directory(path: string): Promise<{ folders: string[]; files: string[] } | undefined> {
    const prefix = path === '' ? '' : `${path}/`;
    // A key ending in '/' marks a folder that may hold nothing else.
    const below = [...this.files.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length).split('/'));
    if (path !== '' && below.length === 0) return undefined;
    return {
      folders: [...new Set(below.filter((parts) => parts.length > 1).map((parts) => parts[0]))].sort(),
      files: below
        .filter((parts) => parts.length === 1 && parts[0] !== '')
        .map((parts) => parts[0])
        .sort(),
    };
  }

  /** The top-level names, sorted, as a folder lists them. */
  async list(): Promise<string[]> {
    return [...new Set([...this.files.keys()].map((key) => key.split('/')[0]))].sort();
  }

  /** The top-level files whose names pass the rules, in the order they were added. */
  async *listFiles(): AsyncGenerator<ListedFile> {
    for (const [key, content] of this.files) {
      if (key.includes('/') || typeof this.keyOf(key) !== 'string') continue;
      yield { name: key, size: content.length, mtimeMs: this.mtimeOf(key) };
    }
  }

  private mtimeOf(key: string): number {
    return this.mtimes.get(key) ?? this.options.mtimeMs ?? 0;
  }

  read(ref: string, size: number): OutgoingFile {
    return outgoingBytes([this.files.get(ref)?.subarray(0, size) ?? Buffer.alloc(0)]);
  }

  async keptUpload(): Promise<number> {
    return this.options.keptUpload ?? 0;
  }

  /** The kept bytes are NULs: memory keeps nothing between runs, and a replay knows no more of them. */
  receiveResumable(ref: string, kept: KeptPart): IncomingFile {
    const prefix = Buffer.alloc(kept.start);
    return { ...this.receive(ref, prefix), ...(kept.start > 0 && { kept: outgoingBytes([prefix]) }) };
  }

  receive(ref: string, prefix = Buffer.alloc(0)): IncomingFile {
    const chunks: Buffer[] = [prefix];
    let settled = false;
    this.open++;
    const settle = () => {
      if (!settled) this.open--;
      settled = true;
    };
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk)); // a copy: a writer may reuse its buffer once this callback has run
        callback();
      },
    });
    return {
      stream,
      commit: async () => {
        settle();
        const { commitError } = this.options;
        if (commitError) throw Object.assign(new Error(`cannot store ${ref}`), { code: commitError });
        this.files.set(ref, Buffer.concat(chunks));
      },
      abort: settle,
    };
  }

  private keyOf(name: string, check = checkName): string | { kind: 'refused'; code: string } {
    try {
      return check(name).join('/');
    } catch (error) {
      return { kind: 'refused', code: errorCode(error) };
    }
  }
}
