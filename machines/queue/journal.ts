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
 */
import { closeSync, existsSync, fdatasync as fdatasyncCallback, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const fdatasync = promisify(fdatasyncCallback);

function writeAt(fd: number, bytes: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => write(fd, bytes, 0, bytes.length, position, (error) => (error ? reject(error) : resolve())));
}

const HEADER = Buffer.from('WSQJ1\n');
const MESSAGE = 0x4d; // 'M'
const DELIVERED = 0x44; // 'D'
/** Compaction runs when the file is this much larger than the live messages need. */
const COMPACT_SLACK = 1024 * 1024;

export interface JournaledMessage {
  seq: number;
  bytes: Buffer;
}

export class Journal {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private fd: number,
    private size: number,
  ) {}

  /** Opens (creating if absent) the journal and returns the messages still waiting, oldest first. */
  static open(path: string): { journal: Journal; messages: JournaledMessage[] } {
    const { messages, validLength } = existsSync(path) ? replay(readFileSync(path)) : { messages: [], validLength: 0 };
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+', 0o600);
    if (validLength === 0) {
      ftruncateSync(fd, 0);
      writeSync(fd, HEADER, 0, HEADER.length, 0);
    } else {
      ftruncateSync(fd, validLength); // drops a record a crash cut short
    }
    fsyncSync(fd);
    const journal = new Journal(path, fd, Math.max(validLength, HEADER.length));
    return { journal, messages };
  }

  appendMessage(message: JournaledMessage): Promise<void> {
    return this.append(messageRecord(message));
  }

  /** Records a delivery; compacts the file to `live()` when most of it is delivered messages. */
  appendDelivery(seq: number, live: () => JournaledMessage[]): Promise<void> {
    const record = Buffer.alloc(9);
    record[0] = DELIVERED;
    record.writeBigUInt64BE(BigInt(seq), 1);
    return this.append(record).then(() => this.compactIfWasteful(live()));
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Appends and syncs one record; records are written one after another, never interleaved. */
  private append(record: Buffer): Promise<void> {
    const step = this.queue.then(async () => {
      await writeAt(this.fd, record, this.size);
      await fdatasync(this.fd);
      this.size += record.length;
    });
    this.queue = step.catch(() => undefined);
    return step;
  }

  private compactIfWasteful(live: JournaledMessage[]): Promise<void> {
    const needed = HEADER.length + live.reduce((sum, message) => sum + 13 + message.bytes.length, 0);
    if (this.size - needed < COMPACT_SLACK) return Promise.resolve();
    const step = this.queue.then(async () => {
      const temp = `${this.path}.compacting`;
      const fd = openSync(temp, 'w', 0o600);
      await writeAt(fd, Buffer.concat([HEADER, ...live.map(messageRecord)]), 0);
      await fdatasync(fd);
      renameSync(temp, this.path);
      const dir = openSync(dirname(this.path), 'r');
      await fdatasync(dir);
      closeSync(dir);
      closeSync(this.fd);
      this.fd = fd;
      this.size = needed;
    });
    this.queue = step.catch(() => undefined);
    return step;
  }
}

function messageRecord(message: JournaledMessage): Buffer {
  const record = Buffer.alloc(13 + message.bytes.length);
  record[0] = MESSAGE;
  record.writeBigUInt64BE(BigInt(message.seq), 1);
  record.writeUInt32BE(message.bytes.length, 9);
  message.bytes.copy(record, 13);
  return record;
}

/** The waiting messages a journal's bytes describe, and how many of its bytes are whole records. */
export function replay(bytes: Buffer): { messages: JournaledMessage[]; validLength: number } {
  if (!bytes.subarray(0, HEADER.length).equals(HEADER)) {
    if (bytes.length === 0) return { messages: [], validLength: 0 };
    throw new Error('not a wirestate queue journal (bad header)');
  }
  const waiting = new Map<number, Buffer>();
  let at = HEADER.length;
  while (at < bytes.length) {
    const kind = bytes[at];
    if (kind === MESSAGE && at + 13 <= bytes.length) {
      const length = bytes.readUInt32BE(at + 9);
      if (at + 13 + length > bytes.length) break;
      waiting.set(Number(bytes.readBigUInt64BE(at + 1)), Buffer.from(bytes.subarray(at + 13, at + 13 + length)));
      at += 13 + length;
    } else if (kind === DELIVERED && at + 9 <= bytes.length) {
      waiting.delete(Number(bytes.readBigUInt64BE(at + 1)));
      at += 9;
    } else {
      break;
    }
  }
  const messages = [...waiting.entries()].sort(([a], [b]) => a - b).map(([seq, message]) => ({ seq, bytes: message }));
  return { messages, validLength: at };
}
