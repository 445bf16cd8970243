/**
 * The room a store has promised the uploads under way. An upload asks, before it takes a byte, whether its
 * announced size fits; statfs counts only what is on the disk already, not what the uploads under way have
 * still to write, so two uploads that each fit alone would both be admitted and both fail once the disk
 * filled. Each promise stands for what its upload has yet to write (its size less the bytes its file took),
 * but no more than it would write within PACE_HORIZON_MS at the pace it has kept, and at least FLOOR_BYTES of
 * it: an upload that announces the whole disk and trickles cannot hold the room every other client asks for.
 */

/** How far ahead an upload's pace says what it will write soon: the room held for it. */
export const PACE_HORIZON_MS = 60_000;
/** What an upload is promised whatever its pace (all of it, if smaller): its first seconds have shown none. */
export const FLOOR_BYTES = 16 * 1024 * 1024;

interface Promised {
  size: number;
  since: number;
  written: () => number;
}

export class RoomPromises {
  private readonly promised = new Map<string, Promised>();

  /** `now`: milliseconds, monotonic. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Whether `size` bytes fit in `available` beside what others are still owed; if so, promised to `key`. */
  admit(key: string, size: number, available: number): boolean {
    const now = this.now();
    let owed = 0;
    for (const [other, promise] of this.promised) if (other !== key) owed += stillOwed(promise, now);
    if (available - owed < size) return false;
    this.promised.set(key, { size, since: now, written: () => 0 });
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

/** What `promise`'s upload has yet to write, capped by what its pace says it writes within the horizon. */
function stillOwed(promise: Promised, now: number): number {
  const written = promise.written();
  const soon = (written / Math.max(now - promise.since, 1)) * PACE_HORIZON_MS;
  return Math.max(0, Math.min(promise.size - written, Math.max(FLOOR_BYTES, soon)));
}
