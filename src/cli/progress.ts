/**
 * Transfer progress on stderr: a redrawn bar with bytes and rate on a
 * terminal, a line at the start and the end otherwise, nothing with --quiet.
 */
import { formatBytes, mibPerSecond } from '../log/logger';

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly quiet: boolean,
  ) {}

  /** A plain line, kept on both terminals and logs. */
  line(text: string): void {
    if (this.quiet) return;
    this.clear();
    this.out.write(`${text}\n`);
  }

  update(bytes: number, total: number): void {
    if (this.quiet || !this.out.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_MS && bytes < total) return;
    this.lastDraw = now;
    const fraction = total > 0 ? Math.min(bytes / total, 1) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const rate = mibPerSecond(bytes, (now - this.started) / 1000);
    this.out.write(
      `\r${(fraction * 100).toFixed(0).padStart(3)}% [${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ` +
        `${formatBytes(bytes)} / ${formatBytes(total)}  ${rate.toFixed(1)} MiB/s\x1b[K`,
    );
  }

  /** Seconds since the transfer began. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  private clear(): void {
    if (this.out.isTTY && this.lastDraw > 0) this.out.write('\r\x1b[K');
  }
}
