/**
 * The connections (TCP) or peers (UDP) a server has open, and who waits for
 * none to be: each waiter is dropped once it is settled, so a server asked
 * `whenIdle` again and again does not collect callbacks.
 */
export class OpenSet<T> implements Iterable<T> {
  private readonly items = new Set<T>();
  private idleWaiters: (() => void)[] = [];

  get size(): number {
    return this.items.size;
  }

  /** Callers of `whenEmpty` not settled yet. */
  get waiting(): number {
    return this.idleWaiters.length;
  }

  add(item: T): void {
    this.items.add(item);
  }

  delete(item: T): void {
    this.items.delete(item);
    if (this.items.size > 0) return;
    const settled = this.idleWaiters;
    this.idleWaiters = [];
    for (const idle of settled) idle();
  }

  /** Settles once nothing is open (at once if nothing is). */
  whenEmpty(): Promise<void> {
    if (this.items.size === 0) return Promise.resolve();
    return new Promise((idle) => this.idleWaiters.push(idle));
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}
