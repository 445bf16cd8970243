/**
 * The queue's journal (`--journal FILE`): an append-only file of records,
 * each fsynced before the server acknowledges what it records, replayed on
 * start and compacted when delivered messages dominate it.
 *
 *   "WSQJ1\n"                                  header
 *   'M' seq:u64be length:u32be bytes           a message was queued
 *   'D' seq:u64be                              that message was delivered
 *
 * A record cut short by a crash (the last one) is dropped on replay.
 *
 * Every write goes through one loop: the records asked for meanwhile are
 * written together and synced once (group commit), then what they record is
 * applied to `live`, the journal's own copy of the undelivered messages. So
 * `live` is always exactly what the file holds, and a compaction (run by the
 * same loop, between two batches) rewrites the file from it: to a temp file,
 * synced, renamed over the journal, the folder synced.
 */
import { closeSync, existsSync, fdatasync as fdatasyncCallback, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const fdatasync = promisify(fdatasyncCallback);
const writeSome = promisify(write);

const HEADER = Buffer.from('WSQJ1\n');
const MESSAGE = 0x4d; // 'M'
const DELIVERED = 0x44; // 'D'
const MESSAGE_OVERHEAD = 13;
/** Compaction runs when the file is this much larger than the live messages need. */
const COMPACT_SLACK = 1024 * 1024;

export interface JournaledMessage {
  seq: number;
  bytes: Buffer;
}

interface PendingRecord {
  record: Buffer;
  /** What the record changes in `live`, applied once it is on disk. */
  apply: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Journal {
  private liveSize = HEADER.length;
  private pending: PendingRecord[] = [];
  private writing = false;
  /** False after a compaction whose rename is not yet known to be on disk. */
  private folderSynced = true;

  private constructor(
    readonly path: string,
    private fd: number,
    private size: number,
    /** The undelivered messages by sequence number. */
    private readonly live: Map<number, Buffer>,
    private readonly warn: (message: string) => void,
  ) {
    for (const bytes of live.values()) this.liveSize += MESSAGE_OVERHEAD + bytes.length;
  }

  /** Opens (creating if absent) the journal and returns the messages still waiting, oldest first. */
  static open(path: string, warn: (message: string) => void = () => undefined): { journal: Journal; messages: JournaledMessage[] } {
    rmSync(compactingPath(path), { force: true }); // a compaction a crash cut short: the journal is still whole
    const existed = existsSync(path);
    const { live, validLength } = existed ? replay(readFileSync(path)) : { live: new Map<number, Buffer>(), validLength: 0 };
    const fd = openSync(path, existed ? 'r+' : 'w+', 0o600);
    if (validLength === 0) {
      ftruncateSync(fd, 0);
      writeSync(fd, HEADER, 0, HEADER.length, 0);
    } else {
      ftruncateSync(fd, validLength); // drops a record a crash cut short
    }
    fsyncSync(fd);
    if (!existed) syncFolderSync(path);
    const journal = new Journal(path, fd, Math.max(validLength, HEADER.length), live, warn);
    const messages = [...live].sort(([a], [b]) => a - b).map(([seq, bytes]) => ({ seq, bytes }));
    return { journal, messages };
  }

  /** Settles once the message is on disk. */
  appendMessage(message: JournaledMessage): Promise<void> {
    return this.append(messageRecord(message.seq, message.bytes), () => this.keep(message.seq, message.bytes));
  }

  /** Settles once the delivery is on disk. */
  appendDelivery(seq: number): Promise<void> {
    const record = Buffer.alloc(9);
    record[0] = DELIVERED;
    record.writeBigUInt64BE(BigInt(seq), 1);
    return this.append(record, () => this.drop(seq));
  }

  close(): void {
    closeSync(this.fd);
  }

  private keep(seq: number, bytes: Buffer): void {
    this.live.set(seq, bytes);
    this.liveSize += MESSAGE_OVERHEAD + bytes.length;
  }

  private drop(seq: number): void {
    const bytes = this.live.get(seq);
    if (bytes === undefined) return;
    this.live.delete(seq);
    this.liveSize -= MESSAGE_OVERHEAD + bytes.length;
  }

  private append(record: Buffer, apply: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ record, apply, resolve, reject });
      if (!this.writing) void this.writeBatches();
    });
  }

  /**
   * The one writer: batches in the order asked, each synced before it is
   * acknowledged. Before taking a batch it lets the event loop turn once, so
   * the records asked for by what the last batch acknowledged (and by every
   * socket read in that turn) join this batch instead of waiting a whole
   * sync for the next one.
   */
  private async writeBatches(): Promise<void> {
    this.writing = true;
    for (;;) {
      await nextTurn();
      if (this.pending.length === 0) break;
      const batch = this.pending.splice(0);
      try {
        await this.writeAndSync(Buffer.concat(batch.map((pending) => pending.record)));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      }
      for (const pending of batch) {
        pending.apply();
        pending.resolve();
      }
      if (this.size - this.liveSize >= COMPACT_SLACK) {
        await this.compact().catch((error) => this.warn(`journal ${this.path}: compaction failed (${String(error)}); appending to the old file`));
      }
    }
    this.writing = false;
  }

  private async writeAndSync(bytes: Buffer): Promise<void> {
    try {
      if (!this.folderSynced) await syncFolder(this.path);
      this.folderSynced = true;
      await writeAll(this.fd, bytes, this.size);
      await fdatasync(this.fd);
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.size); // no torn tail for the next batch to land behind
      } catch {
        // the next batch overwrites from the same offset anyway
      }
      throw error;
    }
    this.size += bytes.length;
  }

  private async compact(): Promise<void> {
    const temp = compactingPath(this.path);
    const bytes = Buffer.concat([HEADER, ...[...this.live].map(([seq, message]) => messageRecord(seq, message))]);
    const fd = openSync(temp, 'w', 0o600);
    try {
      await writeAll(fd, bytes, 0);
      await fdatasync(fd);
      renameSync(temp, this.path);
    } catch (error) {
      closeSync(fd);
      rmSync(temp, { force: true });
      throw error;
    }
    closeSync(this.fd);
    this.fd = fd;
    this.size = bytes.length;
    this.folderSynced = false;
    await syncFolder(this.path);
    this.folderSynced = true;
  }
}

const compactingPath = (path: string) => `${path}.compacting`;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function writeAll(fd: number, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await writeSome(fd, bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes a file's creation or rename in its folder durable. */
async function syncFolder(path: string): Promise<void> {
  const fd = openSync(dirname(path), 'r');
  try {
    await fdatasync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncFolderSync(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function messageRecord(seq: number, bytes: Buffer): Buffer {
  const record = Buffer.alloc(MESSAGE_OVERHEAD + bytes.length);
  record[0] = MESSAGE;
  record.writeBigUInt64BE(BigInt(seq), 1);
  record.writeUInt32BE(bytes.length, 9);
  bytes.copy(record, MESSAGE_OVERHEAD);
  return record;
}

/**
 * The waiting messages a journal's bytes describe, by sequence number, and
 * how many of its bytes are whole records. The messages are views into `bytes`, not copies: one buffer
 * at most as large as the journal, freed once the last of them is delivered.
 */
export function replay(bytes: Buffer): { live: Map<number, Buffer>; validLength: number } {
  if (!bytes.subarray(0, HEADER.length).equals(HEADER)) {
    if (bytes.length === 0) return { live: new Map(), validLength: 0 };
    throw new Error('not a wirestate queue journal (bad header)');
  }
  const live = new Map<number, Buffer>();
  let at = HEADER.length;
  while (at < bytes.length) {
    const kind = bytes[at];
    if (kind === MESSAGE && at + MESSAGE_OVERHEAD <= bytes.length) {
      const length = bytes.readUInt32BE(at + 9);
      if (at + MESSAGE_OVERHEAD + length > bytes.length) break;
      live.set(Number(bytes.readBigUInt64BE(at + 1)), bytes.subarray(at + MESSAGE_OVERHEAD, at + MESSAGE_OVERHEAD + length));
      at += MESSAGE_OVERHEAD + length;
    } else if (kind === DELIVERED && at + 9 <= bytes.length) {
      live.delete(Number(bytes.readBigUInt64BE(at + 1)));
      at += 9;
    } else {
      break;
    }
  }
  return { live, validLength: at };
}
