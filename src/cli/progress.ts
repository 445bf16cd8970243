/**
 * Transfer progress on stderr: one redrawn line on a terminal (bar, bytes, current rate, ETA), cut to
 * the terminal's width so it never wraps; a line at the start and the end otherwise; nothing with --quiet.
 */
import { formatBytes } from '../log/logger';

const REDRAW_MS = 100;
/** The current rate is measured over this much recent time, so a stall or a burst shows within seconds. */
const RATE_WINDOW_MS = 2000;
const MIN_BAR = 10;

export interface ProgressFigures {
  bytes: number;
  /** Size of the whole transfer; undefined while unknown (a download before the server's reply). */
  total?: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
  /** Terminal width in columns. */
  columns: number;
}

/** One progress line, at most `columns - 1` wide: the cursor never reaches the last column, so nothing wraps. */
export function progressLine({ bytes, total, rate, columns }: ProgressFigures): string {
  const width = Math.max(columns - 1, 1);
  const known = total !== undefined;
  const parts: [string, string][] = known
    ? [
        [
          'percent',
          `${Math.floor(Math.min(bytes / Math.max(total, 1), 1) * 100)
            .toString()
            .padStart(3)}%`,
        ],
        ['eta', `ETA ${rate > 0 ? duration((total - bytes) / rate) : '?'}`],
        ['rate', `${formatBytes(Math.round(rate))}/s`],
        ['amount', `${formatBytes(bytes)} / ${formatBytes(total)}`],
      ]
    : [
        ['amount', `${formatBytes(bytes)} (size not known yet)`],
        ['rate', `${formatBytes(Math.round(rate))}/s`],
      ];
  // Most important first: keep as many as fit, then show them in reading order.
  const kept: string[] = [];
  let used = 0;
  for (const [, text] of parts) {
    if (used + (kept.length ? 2 : 0) + text.length > width) break;
    used += (kept.length ? 2 : 0) + text.length;
    kept.push(text);
  }
  const order = known ? ['percent', 'amount', 'rate', 'eta'] : ['amount', 'rate'];
  const shown = parts
    .filter(([, text]) => kept.includes(text))
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([, text]) => text);
  let line = shown.join('  ');
  const room = width - line.length - 3;
  if (known && room >= MIN_BAR) {
    const filled = Math.round(Math.min(bytes / Math.max(total, 1), 1) * (room - 2));
    line = `${shown[0]} [${'#'.repeat(filled)}${'-'.repeat(room - 2 - filled)}] ${shown.slice(1).join('  ')}`.trimEnd();
  }
  return line.slice(0, width);
}

/** `45s`, `3m05s`, `2h10m`. */
function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;
  private drawnBytes = -1;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly quiet: boolean,
  ) {}

  /** A plain line, kept on both terminals and logs; it replaces the bar, which the next update redraws. */
  line(text: string): void {
    if (this.quiet) return;
    this.clear();
    this.out.write(`${text}\n`);
  }

  /** `total` 0 means not known yet: the machine learns a download's size from the server's reply. */
  update(bytes: number, total: number): void {
    if (this.quiet || !this.out.isTTY) return;
    const now = performance.now();
    this.samples.push({ at: now, bytes });
    while (this.samples.length > 2 && now - this.samples[1].at > RATE_WINDOW_MS) this.samples.shift();
    // The last bytes are drawn at once, and only once: more updates may follow at the same count.
    const finished = total > 0 && bytes >= total && this.drawnBytes < total;
    const finishedDrawn = total > 0 && this.drawnBytes >= total;
    if (finishedDrawn || (now - this.lastDraw < REDRAW_MS && !finished)) return;
    this.drawnBytes = bytes;
    this.lastDraw = now;
    const oldest = this.samples[0];
    const rate = now - oldest.at > 0 ? ((bytes - oldest.bytes) * 1000) / (now - oldest.at) : 0;
    this.out.write(
      `\r${progressLine({ bytes, total: total > 0 ? total : undefined, rate, columns: this.out.columns || 80 })}\x1b[K`,
    );
    this.drawn = true;
  }

  /** Removes the bar, so that what is written next starts on a clean line. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  /** Seconds since the transfer began. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }
}
