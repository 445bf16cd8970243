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
  /** Settles once the message is kept (on disk: durably). */
  put(message: KeptMessage, bytes: Buffer): Promise<void>;
  /** The bytes of a message put and not yet removed. */
  get(message: KeptMessage): Buffer;
  /** Settles once the message is gone for good (on disk: durably). */
  remove(message: KeptMessage): Promise<void>;
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

  async put(message: KeptMessage, bytes: Buffer): Promise<void> {
    this.messages.set(message.seq, bytes);
  }

  get(message: KeptMessage): Buffer {
    const bytes = this.messages.get(message.seq);
    if (bytes === undefined) throw new Error(`message ${message.seq} is not kept`);
    return bytes;
  }

  async remove(message: KeptMessage): Promise<void> {
    this.messages.delete(message.seq);
  }
}
