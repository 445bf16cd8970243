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
 */
import { constants } from 'node:os';
import { open, type RootDatabase } from 'lmdb';
import { WirestateError } from '../../src/storage/errors';
import type { KeptMessage, MessageKeeper } from './message-keeper';

type Write = Promise<boolean> & { flushed: Promise<boolean> };

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

/** lmdb's error for a system call's failure carries the errno as a number: named here as Node names them (5: EIO). */
function withErrnoName(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const name = Object.entries(constants.errno).find(([, errno]) => errno === code)?.[0];
  return name ? Object.assign(error as Error, { code: name }) : error;
}

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

  private constructor(private readonly db: RootDatabase<Buffer, Buffer>) {
    for (const key of db.getKeys()) this.kept.push({ seq: Number(key.readBigUInt64BE()), length: key.readUInt32BE(8) });
  }

  /** Opens (creating if absent) the store at `path`. */
  static open(path: string): LmdbKeeper {
    letGoOfOrphanedCommitFailures();
    return new LmdbKeeper(
      open<Buffer, Buffer>({ path, keyEncoding: 'binary', encoding: 'binary', separateFlushed: true }),
    );
  }

  async put(message: KeptMessage, bytes: Buffer): Promise<void> {
    await durable(this.db.put(keyOf(message), bytes));
  }

  get(message: KeptMessage): Buffer {
    const bytes = this.db.getBinary(keyOf(message));
    if (bytes === undefined) throw new WirestateError('queue.missing', `message ${message.seq} is not in the store`);
    return bytes;
  }

  async remove(message: KeptMessage): Promise<void> {
    await durable(this.db.remove(keyOf(message)));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
