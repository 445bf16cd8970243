/**
 * The queue on disk (`--store FILE`): an lmdb database (lmdb's own file
 * format; lmdb also keeps `FILE-lock` beside it). One record per waiting
 * message: the key is its sequence number (8 bytes big-endian, so lmdb's key
 * order is the queue's order) then its length (4 bytes big-endian, so
 * start-up reads keys only), the value its bytes as they came. A delivered
 * message's record is deleted; lmdb reuses the freed pages.
 *
 * A put or remove settles only once its transaction is on disk: lmdb-js
 * batches the writes asked for meanwhile into one transaction, commits it off
 * the main thread and fsyncs it; we wait for `.flushed` (that fsync), not for
 * the put's own promise, which with overlapping sync settles at the commit,
 * before the data is durable.
 *
 * A disk that fails can break the store two ways, after which it cannot go on: a write whose commit reached the
 * file but whose sync failed (lmdb fails it as it fails a commit that changed nothing, such as one a full disk
 * refused; a read of its record tells them apart), so that what the disk holds is unknown until it is read again;
 * or lmdb's environment left unusable (MDB_PANIC: a commit's meta page not written), every later read failing,
 * and the writes asked after it neither answered nor rejected by lmdb-js, which then also keeps the process from
 * exiting (its exit hook waits for the write thread the failure left stuck). lmdb does not always fail a write
 * then (5 concurrent senders: 1 run in 6 left 10 sends unanswered with no failure told): the keeper looks after
 * every failed write and read, and every BROKEN_LOOK_MS while writes wait; it tells `whenBroken`'s listener
 * once, and `abandon` takes lmdb's exit hook away so that the process can end. What lmdb committed before is intact.
 */
import { open, type RootDatabase } from 'lmdb';
import { WirestateError, errnoName, errorCode } from '../../src/storage/errors';
import type { KeptMessage, MessageKeeper } from './message-keeper';

type Write = Promise<boolean> & { flushed: Promise<boolean> };

/** lmdb's code for an environment a failed write left unusable until it is opened again. */
const MDB_PANIC = -30795;

/**
 * Settles once `write` is on disk, and fails if its transaction does (a full disk: lmdb's commit fails) with
 * the commit's cause. Every promise involved is awaited here, so a failure is the caller's to handle, never an
 * unhandled rejection that ends the process: the write's own, and the second one lmdb hangs on its error
 * (`commitError`, rejected with the cause).
 */
async function durable(write: Promise<boolean>): Promise<void> {
  try {
    await Promise.all([write, (write as Write).flushed]);
  } catch (error) {
    const cause = (error as { commitError?: Promise<unknown> }).commitError;
    throw withErrnoName(
      cause
        ? await cause.then(
            () => error,
            (reason: unknown) => reason,
          )
        : error,
    );
  }
}

/**
 * lmdb's error for a system call's failure carries the errno as a number: named here as Node names them (5: EIO).
 * A broken environment's is named MDB_PANIC, whichever way lmdb said it: its own code, or (a read's) EINVAL
 * with MDB_PANIC in the words.
 */
function withErrnoName(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const name =
    code === MDB_PANIC || (typeof message === 'string' && message.includes('MDB_PANIC'))
      ? 'MDB_PANIC'
      : errnoName(code);
  return name ? Object.assign(error as Error, { code: name }) : error;
}

/** What a broken store says, by how it broke. */
const PANICKED = 'a write to its disk failed and lmdb can keep nothing more';
const UNSYNCED = 'its disk failed to sync a commit, so what it holds is known only once it is read again';

/** How often, while writes wait for the disk, the keeper looks whether lmdb broke without failing them. */
const BROKEN_LOOK_MS = 1000;
/** A key no message has (sequence numbers start at 1): reading it only asks lmdb whether it can still read. */
const NO_MESSAGE = Buffer.alloc(12);

const isPanic = (error: unknown) => (error as { code?: unknown } | null)?.code === 'MDB_PANIC';

function keyOf(message: KeptMessage): Buffer {
  const key = Buffer.alloc(12);
  key.writeBigUInt64BE(BigInt(message.seq));
  key.writeUInt32BE(message.length, 8);
  return key;
}

/**
 * lmdb (3.5) rejects, besides the failed write's own promise, one more that no caller holds, with the same
 * `Commit failed` error (it carries `commitError`): unhandled, that would end the process. Such a rejection is
 * let go; any other unhandled rejection still ends the process, as Node's default does.
 */
function letGoOfOrphanedCommitFailures(): void {
  if (process.listeners('unhandledRejection').includes(orphanedCommitFailure)) return;
  process.on('unhandledRejection', orphanedCommitFailure);
}

function orphanedCommitFailure(reason: unknown): void {
  const cause = reason instanceof Error ? (reason as { commitError?: Promise<unknown> }).commitError : undefined;
  if (!cause) throw reason;
  cause.catch(() => undefined);
}

export class LmdbKeeper implements MessageKeeper {
  readonly kept: KeptMessage[] = [];
  /** Writes asked and not settled yet: while there are any, `look` runs every BROKEN_LOOK_MS. */
  private writing = 0;
  private readonly looking: NodeJS.Timeout;
  private brokenBy?: Error;
  private onBroken?: (error: Error) => void;

  private constructor(
    /** Where the store is, as it was named. */
    readonly path: string,
    private readonly db: RootDatabase<Buffer, Buffer>,
    /** The `exit` listeners lmdb added when it opened this store: `abandon` removes them. */
    private readonly exitHooks: NodeJS.ExitListener[],
  ) {
    for (const key of db.getKeys()) this.kept.push({ seq: Number(key.readBigUInt64BE()), length: key.readUInt32BE(8) });
    this.looking = setInterval(() => this.writing > 0 && this.look(), BROKEN_LOOK_MS).unref();
  }

  /** Opens (creating if absent) the store at `path`. */
  static open(path: string): LmdbKeeper {
    letGoOfOrphanedCommitFailures();
    const before = new Set(process.listeners('exit'));
    const db = open<Buffer, Buffer>({ path, keyEncoding: 'binary', encoding: 'binary', separateFlushed: true });
    return new LmdbKeeper(
      path,
      db,
      process.listeners('exit').filter((listener) => !before.has(listener)),
    );
  }

  async put(message: KeptMessage, bytes: Buffer): Promise<void> {
    const key = keyOf(message);
    await this.written(this.db.put(key, bytes), key, true);
  }

  get(message: KeptMessage): Buffer {
    const bytes = this.read(keyOf(message));
    if (bytes === undefined) throw new WirestateError('queue.missing', `message ${message.seq} is not in the store`);
    return bytes;
  }

  async remove(message: KeptMessage): Promise<void> {
    const key = keyOf(message);
    await this.written(this.db.remove(key), key, false);
  }

  /** Hears, once, that the store broke (at once if it already has): nothing more can be kept until a restart. */
  whenBroken(listener: (error: Error) => void): void {
    this.onBroken = listener;
    if (this.brokenBy) listener(this.brokenBy);
  }

  /** Lets the process exit without waiting on lmdb: for a broken store, whose writes will never end. */
  abandon(): void {
    clearInterval(this.looking);
    for (const hook of this.exitHooks) process.off('exit', hook);
  }

  close(): Promise<void> {
    clearInterval(this.looking);
    return this.db.close();
  }

  /**
   * Settles once `write` is durable. lmdb fails a write whose commit failed (nothing changed: a full disk) and one
   * committed whose sync then failed alike; a read tells them apart: `present` is whether the record is there once the
   * write is done. A commit in the file but not synced leaves what the disk holds unknown: the store is broken then,
   * and a doubt is settled toward a message seen twice rather than lost: a put there still fails (its sender is not
   * told it is stored, a restart may deliver it), a remove there succeeds (its receiver has the message, which a
   * restart will not hand out again unless the delete was lost with the disk's cache).
   */
  private async written(write: Promise<boolean>, key: Buffer, present: boolean): Promise<void> {
    this.writing++;
    try {
      await durable(write);
    } catch (error) {
      if (isPanic(error)) this.broke('MDB_PANIC', PANICKED);
      else if ((this.read(key) !== undefined) === present) {
        this.broke(errorCode(error), UNSYNCED);
        if (!present) return;
      }
      throw error;
    } finally {
      this.writing--;
    }
  }

  /** Whether lmdb can still read: a broken one (MDB_PANIC) fails any read, and `read` breaks the store then. */
  private look(): void {
    try {
      this.read(NO_MESSAGE);
    } catch {
      // Told through `whenBroken` if the store broke; any other failure of this read concerns no one.
    }
  }

  /** The record at `key`, if any; a read that finds lmdb broken (MDB_PANIC) breaks the store. */
  private read(key: Buffer): Buffer | undefined {
    try {
      return this.db.getBinary(key);
    } catch (error) {
      const named = withErrnoName(error);
      if (isPanic(named)) this.broke('MDB_PANIC', PANICKED);
      throw named;
    }
  }

  private broke(code: string, words: string): void {
    if (this.brokenBy) return;
    this.brokenBy = Object.assign(new Error(words), { code });
    this.onBroken?.(this.brokenBy);
  }
}
