/**
 * Which names are in use by which connection: any number of downloads share a
 * name, an upload holds it alone. Holds are per owner so one call frees all of
 * a connection's holds, whatever path it ended by.
 */
export class NameHolds {
  private readonly readers = new Map<string, number>();
  private readonly writers = new Set<string>();
  private readonly byOwner = new Map<string, { key: string; exclusive: boolean }[]>();

  /** Takes a shared hold; false when an upload holds the name. */
  share(key: string, owner: string): boolean {
    if (this.writers.has(key)) return false;
    this.readers.set(key, (this.readers.get(key) ?? 0) + 1);
    this.record(owner, key, false);
    return true;
  }

  /** Takes the name alone; false when anyone else holds it. */
  claim(key: string, owner: string): boolean {
    if (this.writers.has(key) || this.readers.has(key)) return false;
    this.writers.add(key);
    this.record(owner, key, true);
    return true;
  }

  /** Frees every hold `owner` took; returns the names it held alone (its uploads'). */
  release(owner: string): string[] {
    const alone: string[] = [];
    for (const { key, exclusive } of this.byOwner.get(owner) ?? []) {
      if (exclusive) {
        this.writers.delete(key);
        alone.push(key);
        continue;
      }
      const left = (this.readers.get(key) ?? 1) - 1;
      if (left > 0) this.readers.set(key, left);
      else this.readers.delete(key);
    }
    this.byOwner.delete(owner);
    return alone;
  }

  /** Number of names held, for the clean-up invariant. */
  get size(): number {
    return this.readers.size + this.writers.size;
  }

  private record(owner: string, key: string, exclusive: boolean): void {
    const held = this.byOwner.get(owner) ?? [];
    held.push({ key, exclusive });
    this.byOwner.set(owner, held);
  }
}
