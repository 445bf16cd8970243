/**
 * Replay's clock: simulated, it moves only when told, and then timer by timer. A timer that another one's
 * handler sets (a request's quiet period ends, the machine then pauses before a file) fires within the same
 * wait when it falls due inside it, after the replay has let the machine settle from the one before; a clock
 * that jumped to the end of the wait first would leave it for later.
 */
export class StepClock {
  private nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fire: () => void }>();

  now(): number {
    return this.nowMs;
  }

  /** As Node's timers, a delay under 1 ms is 1 ms: one re-armed for what is left of a period, a float's rounding error, fires once. */
  setTimeout(fire: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { due: this.nowMs + (ms >= 1 ? ms : 1), fire });
    return id;
  }

  clearTimeout(id: number): void {
    this.timers.delete(id);
  }

  /** Lets `ms` pass: each timer due meanwhile fires at its time, earliest first, `settle` awaited after each. */
  async pass(ms: number, settle: () => Promise<void>): Promise<void> {
    const until = this.nowMs + ms;
    for (let next = this.dueBy(until); next !== undefined; next = this.dueBy(until)) {
      const [id, timer] = next;
      this.timers.delete(id);
      this.nowMs = Math.max(this.nowMs, timer.due);
      timer.fire();
      await settle();
    }
    this.nowMs = until;
  }

  /** Lets `ms` pass with no timer firing: one that came due meanwhile fires at the next `pass`, if still set. */
  skip(ms: number): void {
    this.nowMs += ms;
  }

  /** The earliest timer due by `until` (the first set, of those due at once). */
  private dueBy(until: number): [number, { due: number; fire: () => void }] | undefined {
    let earliest: [number, { due: number; fire: () => void }] | undefined;
    for (const entry of this.timers)
      if (entry[1].due <= until && entry[1].due < (earliest?.[1].due ?? Infinity)) earliest = entry;
    return earliest;
  }
}
