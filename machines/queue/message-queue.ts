/** The FIFO queue itself, in memory, optionally kept in a journal so a restart loses nothing. */
import type { Journal, JournaledMessage } from './journal';
import type { MessageStore, TakenMessage } from './message-store';

export class MessageQueue implements MessageStore {
  private readonly waiting: JournaledMessage[];
  private readonly taken = new Map<number, JournaledMessage>();
  private nextSeq: number;

  /** `messages` in order, as a journal replayed them; sequence numbers go on from the last. */
  constructor(messages: JournaledMessage[] = [], private readonly journal?: Journal) {
    this.waiting = [...messages];
    this.nextSeq = messages.reduce((last, message) => Math.max(last, message.seq), 0) + 1;
  }

  get length(): number {
    return this.waiting.length;
  }

  async enqueue(bytes: Buffer): Promise<void> {
    const message = { seq: this.nextSeq++, bytes };
    await this.journal?.appendMessage(message);
    this.waiting.push(message);
  }

  take(): TakenMessage | undefined {
    const message = this.waiting.shift();
    if (message === undefined) return undefined;
    this.taken.set(message.seq, message);
    return { id: message.seq, bytes: message.bytes };
  }

  async confirm(id: number): Promise<void> {
    if (!this.taken.delete(id)) return;
    await this.journal?.appendDelivery(id, () => [...this.taken.values(), ...this.waiting].sort((a, b) => a.seq - b.seq));
  }

  restore(id: number): void {
    const message = this.taken.get(id);
    if (message === undefined) return;
    this.taken.delete(id);
    this.waiting.unshift(message);
  }
}
