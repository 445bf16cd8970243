/**
 * What the queue machines need from the queue. A message handed to a
 * receiver is taken out at once (no two receivers get it), confirmed once it
 * has left for the receiver, and put back at the front if it could not be sent.
 */
export interface TakenMessage {
  id: number;
  bytes: Buffer;
}

export interface MessageStore {
  /** Settles once the message is kept (on disk: durably). */
  enqueue(bytes: Buffer): Promise<void>;
  /** The oldest message, or undefined when the queue is empty. */
  take(): TakenMessage | undefined;
  /** The taken message was sent; it is gone for good. */
  confirm(id: number): Promise<void>;
  /** The taken message could not be sent: it becomes the oldest again. */
  restore(id: number): void;
}
