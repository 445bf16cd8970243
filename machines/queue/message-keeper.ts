/**
 * Where the queue keeps its messages' bytes, by sequence number: in memory,
 * or on disk (lmdb-keeper.ts). The queue itself (message-queue.ts) holds only
 * the order and the sizes.
 */
export interface KeptMessage {
  seq: number;
  length: number;
}

export interface MessageKeeper {
  /** The messages kept when the queue starts, oldest first. */
  readonly kept: KeptMessage[];
  /** Keeps the message at once, or (on disk) returns a promise settled once it is kept durably. */
  put(message: KeptMessage, bytes: Buffer): void | Promise<void>;
  /** The bytes of a message put and not yet removed. */
  get(message: KeptMessage): Buffer;
  /** Removes the message at once, or (on disk) returns a promise settled once it is gone durably. */
  remove(message: KeptMessage): void | Promise<void>;
}

/** A queue that a restart empties. */
export class MemoryKeeper implements MessageKeeper {
  private readonly messages = new Map<number, Buffer>();
  readonly kept: KeptMessage[];

  /** `messages` are already waiting, oldest first. */
  constructor(messages: Buffer[] = []) {
    messages.forEach((bytes, i) => this.messages.set(i + 1, bytes));
    this.kept = messages.map((bytes, i) => ({ seq: i + 1, length: bytes.length }));
  }

  put(message: KeptMessage, bytes: Buffer): void {
    this.messages.set(message.seq, bytes);
  }

  get(message: KeptMessage): Buffer {
    const bytes = this.messages.get(message.seq);
    if (bytes === undefined) throw new Error(`message ${message.seq} is not kept`);
    return bytes;
  }

  remove(message: KeptMessage): void {
    this.messages.delete(message.seq);
  }
}
