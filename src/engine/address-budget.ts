/**
 * Bytes a second that may go to each address, refilled continuously with one
 * second's worth at most: what bounds a UDP server's replies to a source
 * address that anyone can forge. Pure bookkeeping; the clock is passed in.
 */
export class AddressBudget {
  private readonly left = new Map<string, { bytes: number; at: number }>();
  private sweepAbove = 1024;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes `bytes` from `address`'s budget if enough is left (a reply larger than one second's worth needs
   * a full budget and leaves a debt that later replies wait out); false, taking nothing, otherwise.
   */
  take(address: string, bytes: number): boolean {
    const now = this.now();
    const entry = this.left.get(address) ?? { bytes: this.bytesPerSecond, at: now };
    const left = Math.min(this.bytesPerSecond, entry.bytes + ((now - entry.at) / 1000) * this.bytesPerSecond);
    if (left < Math.min(bytes, this.bytesPerSecond)) return false;
    this.left.set(address, { bytes: left - bytes, at: now });
    this.sweep(now);
    return true;
  }

  /** Forgets addresses whose budget has refilled (they are as good as new), once the map has grown. */
  private sweep(now: number): void {
    if (this.left.size <= this.sweepAbove) return;
    for (const [address, entry] of this.left)
      if (entry.bytes + ((now - entry.at) / 1000) * this.bytesPerSecond >= this.bytesPerSecond)
        this.left.delete(address);
    this.sweepAbove = Math.max(1024, 2 * this.left.size);
  }
}
