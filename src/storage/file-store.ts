/**
 * The storage contract every file-moving protocol shares: what a machine may
 * ask of the files on its side. Machines stay free of `node:fs`: a server gets
 * a jailed folder (folder-files.ts), tests and replays get memory
 * (memory-files.ts), a client gets one local path (local-file.ts). A protocol
 * narrows it to the calls it makes (`Pick<ServerFiles, ...>` or its own subset),
 * so another back end (a shared name-hold service, remote objects) can
 * implement just those parts without touching a machine.
 */
import type { Writable } from 'node:stream';

/**
 * A file being sent, read piece by piece into buffers its reader owns, so that a sender can reuse a few
 * buffers for the whole file instead of allocating one per piece.
 */
export interface OutgoingFile {
  /** Reads the next bytes into `into`, as many as fit; resolves with how many (0: the file has ended). */
  read(into: Buffer): Promise<number>;
  /** Closes the file. Safe at any time and more than once. */
  close(): void;
}

/** Bytes handed to a file's stream that may not be written yet: `chunks` in order, from the stream's byte `at`. */
export interface UnwrittenBytes {
  at: number;
  chunks: Buffer[];
}

/** A file being received: it appears under its final name only on `commit`. */
export interface IncomingFile {
  readonly stream: Writable;
  /** Flushes, syncs and moves the file into place. */
  commit(): Promise<void>;
  /**
   * Stops and discards the partial file (a resumable one keeps it, to continue from, with every byte handed to its
   * stream: `unwritten` are written then even if the process exits first). Safe at any time and more than once;
   * once `commit` has begun, it stops it before the file appears if it still can.
   */
  abort(unwritten?: UnwrittenBytes): void;
  /** A resumable file's bytes kept from an earlier attempt, before the new ones: read once, to hash them. */
  readonly kept?: OutgoingFile;
  /** A resumable file's abort that keeps nothing: its bytes proved not to be the file. */
  discard?(): void;
}

/**
 * A lookup that succeeds returns `ref`, an opaque handle (for a folder, the
 * resolved path) that later calls use. The lookup only answers the request:
 * `read` and `receive` check again what they actually open, since the path may
 * lead elsewhere by then (a folder swapped for a symlink), and fail if it does.
 * A refusal's `detail`, when set, is what the storage knows beyond its code, in words (`no such folder: sub`).
 */
export type DownloadLookup =
  /** `mtimeMs`: when the file last changed (0 where the store keeps no times), what a resumed download checks. */
  | { kind: 'found'; size: number; mtimeMs: number; ref: string }
  | { kind: 'missing' }
  | { kind: 'busy' }
  | { kind: 'refused'; code: string; detail?: string };

export type UploadLookup =
  | { kind: 'free'; ref: string }
  | { kind: 'exists' }
  | { kind: 'busy' }
  /** The store takes no uploads (`--read-only`): the protocols refuse it as they refuse a name that exists. */
  | { kind: 'read_only' }
  | { kind: 'refused'; code: string; detail?: string };

/** A file a listing shows: what a download of `name` would find. */
export interface ListedFile {
  name: string;
  size: number;
  /** When the file last changed, in ms since 1970 (0 where the store keeps no times). */
  mtimeMs: number;
}

/**
 * The server's files. Lookups take holds on names for `owner` until `release(owner)`. They answer at once (or
 * throw): a machine asks within the step of the request, so a name is held while its connection is there.
 */
export interface ServerFiles {
  lookupDownload(name: string, owner: string): DownloadLookup;
  reserveUpload(name: string, owner: string): UploadLookup;
  hasRoomFor(ref: string, size: number): Promise<boolean>;
  release(owner: string): void;
  /** The first `size` bytes of the file (fewer if it is shorter); its reads fail if it now leads outside the store. */
  read(ref: string, size: number): OutgoingFile;
  /** Throws, before creating anything, if `ref`'s folder now leads outside the store. */
  receive(ref: string): IncomingFile;
  /** The resume extension's uploads, where the store keeps them: the bytes kept of upload `id` of `ref` (0: none). */
  keptUpload?(ref: string, id: string): Promise<number>;
  /** As `receive`, but kept under `kept.tag` when interrupted, continuing after the `kept.start` bytes kept. */
  receiveResumable?(ref: string, kept: KeptPart): IncomingFile;
  /**
   * The files directly in the root that a download would find (the same name rules and jail), one at a
   * time as they are pulled, in no set order: a folder of any size is listed in constant memory.
   */
  listFiles(): AsyncIterable<ListedFile>;
}

/** A resumable transfer's file: `tag` names what an interruption keeps, `start` bytes of it are kept already. */
export interface KeptPart {
  tag: string;
  start: number;
}

/** The client's one local file. */
export interface LocalFile {
  /** Asked at once, within a machine's step (free-space.ts `roomIn`). */
  hasRoomFor(size: number): boolean;
  read(size: number): OutgoingFile;
  /** `kept`: a resumable download (a store that cannot keep one ignores it and starts afresh). */
  receive(kept?: KeptPart): IncomingFile;
}

/**
 * One folder served by several protocols at once (`serve-all`): the server
 * contract plus what listing and browsing protocols ask (the names in it,
 * a folder's entries).
 */
export interface SharedFolder extends ServerFiles {
  list(): Promise<string[]>;
  directory(path: string): Promise<{ folders: string[]; files: string[] } | undefined>;
}
