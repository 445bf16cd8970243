/** The FIFO queue itself, in memory, optionally kept in a journal so a restart loses nothing. */
import { WirestateError } from '../../src/engine/errors';
import type { Journal, JournaledMessage } from './journal';
import type { MessageStore, TakenMessage } from './message-store';

/** How much the queue holds at most: past either bound a new message is refused. */
export interface QueueLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxMessages: 100_000, maxBytes: 256 * 1024 * 1024 };

export class MessageQueue implements MessageStore {
  private readonly waiting: JournaledMessage[];
  private readonly taken = new Map<number, JournaledMessage>();
  private nextSeq: number;
  /** Messages kept or being kept (waiting, taken, or on their way to the journal), and their bytes. */
  private count: number;
  private bytes: number;

  /** `messages` in order, as a journal replayed them; sequence numbers go on from the last. */
  constructor(
    messages: JournaledMessage[] = [],
    private readonly journal?: Journal,
    private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS,
  ) {
    this.waiting = [...messages];
    this.nextSeq = messages.reduce((last, message) => Math.max(last, message.seq), 0) + 1;
    this.count = messages.length;
    this.bytes = messages.reduce((sum, message) => sum + message.bytes.length, 0);
  }

  get length(): number {
    return this.waiting.length;
  }

  /** Settles once the message is kept (with a journal: synced to disk); only then can a receiver take it. */
  async enqueue(bytes: Buffer): Promise<void> {
    if (this.count + 1 > this.limits.maxMessages || this.bytes + bytes.length > this.limits.maxBytes) {
      throw new WirestateError(
        'queue.full',
        `queue full: ${this.count} messages, ${this.bytes} B held (limits ${this.limits.maxMessages} messages, ${this.limits.maxBytes} B)`,
      );
    }
    this.count += 1;
    this.bytes += bytes.length;
    const message = { seq: this.nextSeq++, bytes };
    try {
      await this.journal?.appendMessage(message);
    } catch (error) {
      this.count -= 1;
      this.bytes -= bytes.length;
      throw error;
    }
    this.waiting.push(message);
  }

  take(): TakenMessage | undefined {
    const message = this.waiting.shift();
    if (message === undefined) return undefined;
    this.taken.set(message.seq, message);
    return { id: message.seq, bytes: message.bytes };
  }

  async confirm(id: number): Promise<void> {
    const message = this.taken.get(id);
    if (message === undefined) return;
    this.taken.delete(id);
    this.count -= 1;
    this.bytes -= message.bytes.length;
    await this.journal?.appendDelivery(id);
  }

  restore(id: number): void {
    const message = this.taken.get(id);
    if (message === undefined) return;
    this.taken.delete(id);
    this.waiting.unshift(message);
  }
}
