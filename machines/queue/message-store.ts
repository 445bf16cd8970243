/**
 * What the queue machines need from the queue. A message handed to a
 * receiver is taken out at once (no two receivers get it), confirmed once it
 * has left for the receiver, and put back at the front if it could not be sent.
 * A store in memory answers at once; one on disk answers `enqueue` and
 * `confirm` with a promise, settled once the change is synced.
 */
export interface TakenMessage {
  id: number;
  bytes: Buffer;
}

export interface MessageStore {
  /** Returns once the message is kept, or (on disk) a promise settled once it is kept durably; throws a refusal. */
  enqueue(bytes: Buffer): void | Promise<void>;
  /** The oldest message, or undefined when the queue is empty. */
  take(): TakenMessage | undefined;
  /** The taken message was sent; it is gone for good (on disk: once the promise returned settles). */
  confirm(id: number): void | Promise<void>;
  /** The taken message could not be sent: it becomes the oldest again. */
  restore(id: number): void;
}
