/**
 * The room a store has promised the uploads under way. An upload asks, before it takes a byte, whether its
 * announced size fits; statfs counts only what is on the disk already, not what the uploads under way have
 * still to write, so two uploads that each fit alone would both be admitted and both fail once the disk
 * filled. Each promise stands for what its upload has yet to write: its size less the bytes its file took.
 */
export class RoomPromises {
  private readonly promised = new Map<string, { size: number; written: () => number }>();

  /** Whether `size` bytes fit in `available` beside what others were promised and have not written; if so, promised to `key`. */
  admit(key: string, size: number, available: number): boolean {
    let owed = 0;
    for (const [other, promise] of this.promised)
      if (other !== key) owed += Math.max(0, promise.size - promise.written());
    if (available - owed < size) return false;
    this.promised.set(key, { size, written: () => 0 });
    return true;
  }

  /** How many bytes `key`'s file has written so far: those the disk's own count holds from then on. */
  writing(key: string, written: () => number): void {
    const promise = this.promised.get(key);
    if (promise) promise.written = written;
  }

  forget(key: string): void {
    this.promised.delete(key);
  }
}
