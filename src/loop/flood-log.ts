/**
 * Logs events that a flood can repeat (refused connections, retired UDP peers) without letting it write a line
 * each: an address's first event in an interval is logged in full; the rest are counted and summed up in one
 * line per address when the interval ends (`refused N more connection(s) from ADDRESS in the last 10 s`), or at
 * `flush`.
 */
import type { Logger } from '../log/logger';

/** How long one address's events are summed into one line. */
export const FLOOD_LOG_INTERVAL_MS = 10_000;

/** The line that sums up `count` events from `address` after its first, over `seconds`. */
export type FloodSummary = (count: number, address: string, seconds: number) => string;

export class FloodLog {
  /** Events not yet logged, per address that had its full line in this interval. */
  private readonly more = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  /** `event`: the JSON field of every line, the summaries' too (which also carry `address`, `count`, `interval_s`). */
  constructor(
    private readonly log: Logger,
    private readonly event: string,
    private readonly summary: FloodSummary,
    private readonly intervalMs = FLOOD_LOG_INTERVAL_MS,
  ) {}

  happened(address: string, line: string, meta?: object): void {
    const count = this.more.get(address);
    if (count !== undefined) {
      this.more.set(address, count + 1);
      return;
    }
    this.log.warn(line, { ...meta, event: this.event });
    this.more.set(address, 0);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  /** Logs each address's count since its full line and starts over (at the interval's end and at shutdown). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [address, count] of this.more) {
      const seconds = this.intervalMs / 1000;
      if (count > 0)
        this.log.warn(this.summary(count, address, seconds), {
          event: this.event,
          address,
          count,
          interval_s: seconds,
        });
    }
    this.more.clear();
  }
}
