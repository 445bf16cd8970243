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
import { open, type RootDatabase } from 'lmdb';
import type { KeptMessage, MessageKeeper } from './message-keeper';

type Write = Promise<boolean> & { flushed: Promise<boolean> };

function keyOf(message: KeptMessage): Buffer {
  const key = Buffer.alloc(12);
  key.writeBigUInt64BE(BigInt(message.seq));
  key.writeUInt32BE(message.length, 8);
  return key;
}

export class LmdbKeeper implements MessageKeeper {
  readonly kept: KeptMessage[] = [];

  private constructor(private readonly db: RootDatabase<Buffer, Buffer>) {
    for (const key of db.getKeys()) this.kept.push({ seq: Number(key.readBigUInt64BE()), length: key.readUInt32BE(8) });
  }

  /** Opens (creating if absent) the store at `path`. */
  static open(path: string): LmdbKeeper {
    return new LmdbKeeper(
      open<Buffer, Buffer>({ path, keyEncoding: 'binary', encoding: 'binary', separateFlushed: true }),
    );
  }

  async put(message: KeptMessage, bytes: Buffer): Promise<void> {
    await (this.db.put(keyOf(message), bytes) as Write).flushed;
  }

  get(message: KeptMessage): Buffer {
    const bytes = this.db.getBinary(keyOf(message));
    if (bytes === undefined) throw new Error(`message ${message.seq} is not in the store`);
    return bytes;
  }

  async remove(message: KeptMessage): Promise<void> {
    await (this.db.remove(keyOf(message)) as Write).flushed;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
