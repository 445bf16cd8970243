/** The FIFO queue itself: order and bounds in memory, bytes in a keeper (memory, or lmdb on disk so a restart loses nothing). */
import { WirestateError } from '../../src/storage/errors';
import { MemoryKeeper, type KeptMessage, type MessageKeeper } from './message-keeper';
import type { MessageStore, TakenMessage } from './message-store';

/** How much the queue holds at most: past either bound a new message is refused. */
export interface QueueLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxMessages: 100_000, maxBytes: 256 * 1024 * 1024 };

export class MessageQueue implements MessageStore {
  private readonly waiting: KeptMessage[];
  private readonly taken = new Map<number, KeptMessage>();
  /** Delivered messages whose removal the keeper failed: asked again with the next confirm. */
  private readonly unremoved: KeptMessage[] = [];
  private nextSeq: number;
  /** Messages kept or being kept (waiting, taken, or on their way to the keeper), and their bytes. */
  private count: number;
  private bytes: number;

  /** Starts with the messages `keeper` already holds; sequence numbers go on from the last. */
  constructor(
    private readonly keeper: MessageKeeper = new MemoryKeeper(),
    private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS,
  ) {
    this.waiting = [...keeper.kept];
    this.nextSeq = keeper.kept.reduce((last, message) => Math.max(last, message.seq), 0) + 1;
    this.count = keeper.kept.length;
    this.bytes = keeper.kept.reduce((sum, message) => sum + message.length, 0);
  }

  get length(): number {
    return this.waiting.length;
  }

  /**
   * Returns once the message is kept, or (on disk) a promise settled once it is kept durably: only then can a
   * receiver take it. A full queue is refused at once (a throw).
   */
  enqueue(bytes: Buffer): void | Promise<void> {
    if (this.count + 1 > this.limits.maxMessages || this.bytes + bytes.length > this.limits.maxBytes) {
      throw new WirestateError(
        'queue.full',
        `queue full: ${this.count} messages, ${this.bytes} B held (limits ${this.limits.maxMessages} messages, ${this.limits.maxBytes} B)`,
      );
    }
    this.count += 1;
    this.bytes += bytes.length;
    const message = { seq: this.nextSeq++, length: bytes.length };
    const kept = () => this.wait(message);
    const put = this.keeper.put(message, bytes);
    if (!put) {
      kept();
      return;
    }
    return put.then(kept, (error: unknown) => {
      this.release(message);
      throw error;
    });
  }

  /**
   * The oldest message, taken out. A message the keeper cannot read (an I/O error) is dropped from the queue, its
   * room given back, and the error thrown: what is on disk is read again at the next start.
   */
  take(): TakenMessage | undefined {
    const message = this.waiting.shift();
    if (message === undefined) return undefined;
    let bytes: Buffer;
    try {
      bytes = this.keeper.get(message);
    } catch (error) {
      this.release(message);
      throw error;
    }
    this.taken.set(message.seq, message);
    return { id: message.seq, bytes };
  }

  /**
   * Forgets the taken message at once, or (on disk) returns a promise settled once it is gone durably. A removal
   * the keeper fails (its disk full or failing) is asked again with each later one, until one goes through: its
   * receiver has the message, which the next start would otherwise deliver again.
   */
  confirm(id: number): void | Promise<void> {
    const message = this.taken.get(id);
    if (message === undefined) return;
    this.taken.delete(id);
    this.release(message);
    for (const again of this.unremoved.splice(0)) void this.remove(again)?.catch(() => undefined);
    return this.remove(message);
  }

  private remove(message: KeptMessage): void | Promise<void> {
    return this.keeper.remove(message)?.catch((error: unknown) => {
      this.unremoved.push(message);
      throw error;
    });
  }

  /** Gives back the room a message held in the bounds. */
  private release(message: KeptMessage): void {
    this.count -= 1;
    this.bytes -= message.length;
  }

  /**
   * Puts a kept message in the queue in the order the messages came, not the order their writes were synced: a
   * later message of another sender can be synced first (a restart reads them back in the order they came).
   */
  private wait(message: KeptMessage): void {
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1].seq > message.seq) at--;
    this.waiting.splice(at, 0, message);
  }

  restore(id: number): void {
    const message = this.taken.get(id);
    if (message === undefined) return;
    this.taken.delete(id);
    this.waiting.unshift(message);
  }
}
