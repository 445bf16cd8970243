/**
 * Transfer progress on stderr: one redrawn line on a terminal (bar, bytes, current rate, ETA), cut to
 * the terminal's width so it never wraps; a line at the start and the end otherwise; nothing with --quiet.
 */
import { formatBytes, type Logger } from '../log/logger';

const REDRAW_MS = 100;
/** While no bytes move the line is still redrawn this often, so its rate falls to 0 and its ETA to `?`. */
const STALL_REDRAW_MS = 500;
/** The current rate is measured over this much recent time, so a stall or a burst shows within seconds. */
const RATE_WINDOW_MS = 2000;
const MIN_BAR = 10;
/** The widest `formatBytes` below 10,000 TiB: `1023.9 KiB`. Every number is padded to it, so a width has one layout. */
const BYTES_WIDTH = 10;
/** The widest `duration`: `59m59s`. */
const DURATION_WIDTH = 6;

export interface ProgressFigures {
  bytes: number;
  /** Size of the whole transfer; undefined while unknown (a download before the server's reply). */
  total?: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
  /** Terminal width in columns. */
  columns: number;
  /** Shown in place of the rate and ETA once every byte is through: what is still awaited (an upload's confirmation). */
  awaiting?: string;
}

/**
 * One progress line, at most `columns - 1` wide: the cursor never reaches the last column, so nothing wraps.
 * Every field has a fixed width, so which fields and whether the bar are shown depend on the width (and
 * whether the size is known) only, never on the figures: the line keeps its layout while it is redrawn.
 */
export function progressLine({ bytes, total, rate, columns, awaiting }: ProgressFigures): string {
  const width = Math.max(columns - 1, 1);
  const known = total !== undefined;
  const waits = known && awaiting !== undefined && bytes >= total;
  const speed = `${formatBytes(Math.round(rate)).padStart(BYTES_WIDTH)}/s`;
  const parts: [string, string][] = waits
    ? [
        ['percent', '100%'],
        ['awaiting', awaiting],
        ['amount', `${formatBytes(bytes).padStart(BYTES_WIDTH)} / ${formatBytes(total)}`],
      ]
    : known
      ? [
          [
            'percent',
            `${Math.floor(Math.min(bytes / Math.max(total, 1), 1) * 100)
              .toString()
              .padStart(3)}%`,
          ],
          ['eta', `ETA ${(rate > 0 ? duration(Math.max(total - bytes, 0) / rate) : '?').padEnd(DURATION_WIDTH)}`],
          ['rate', speed],
          ['amount', `${formatBytes(bytes).padStart(BYTES_WIDTH)} / ${formatBytes(total)}`],
        ]
      : [
          ['amount', `${formatBytes(bytes)} (size not known yet)`.padEnd(BYTES_WIDTH + 21)],
          ['rate', speed],
        ];
  // Most important first: keep as many as fit, then show them in reading order.
  const kept: string[] = [];
  let used = 0;
  for (const [, text] of parts) {
    if (used + (kept.length ? 2 : 0) + text.length > width) break;
    used += (kept.length ? 2 : 0) + text.length;
    kept.push(text);
  }
  const order = known ? ['percent', 'amount', 'rate', 'eta', 'awaiting'] : ['amount', 'rate'];
  const shown = parts
    .filter(([, text]) => kept.includes(text))
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([, text]) => text);
  if (shown.length === 0) return '';
  const [first, ...rest] = shown;
  const after = rest.join('  ');
  // The bar, brackets included, takes what is left between the first field and the rest, one space each side.
  const room = width - first.length - 1 - (after ? after.length + 1 : 0);
  if (!known || room < MIN_BAR) return shown.join('  ').slice(0, width);
  const filled = Math.round(Math.min(bytes / Math.max(total, 1), 1) * (room - 2));
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(room - 2 - filled)}]`;
  return [first, bar, after].filter((text) => text !== '').join(' ');
}

/** `45s`, `3m05s`, `2h10m`; `>99h` beyond. */
function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 100 * 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return '>99h';
}

export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;
  private drawnBytes = -1;
  private readonly samples: { at: number; bytes: number }[] = [];
  private latest?: { bytes: number; total: number; awaiting?: string };
  private stallRedraw?: NodeJS.Timeout;

  /** `log`: `--log-format json`, where every line is a JSON object with `fields` and no bar is drawn. */
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly quiet: boolean,
    private readonly log?: Logger,
  ) {}

  /**
   * A plain line, kept on both terminals and logs; it replaces the bar, which the next update or stall redraw
   * draws again below it. The last line of a transfer comes after `clear`, so no bar follows it.
   */
  line(text: string, fields: Record<string, unknown> = {}): void {
    if (this.quiet) return;
    if (this.log) return void this.log.info(text, fields);
    this.erase();
    this.out.write(`${text}\n`);
  }

  /**
   * `total` 0 means not known yet: the machine learns a download's size from the server's reply. `awaiting`: what
   * the transfer still waits for once every byte is through, shown then instead of a rate and an ETA of 0.
   */
  update(bytes: number, total: number, awaiting?: string): void {
    if (this.quiet || this.log || !this.out.isTTY) return;
    const now = performance.now();
    this.latest = { bytes, total, awaiting };
    this.sample(now, bytes);
    // The last bytes are drawn at once, and only once: more updates may follow at the same count.
    const finished = total > 0 && bytes >= total && this.drawnBytes < total;
    const finishedDrawn = total > 0 && this.drawnBytes >= total;
    // A bar that a line erased is drawn again at once.
    if (this.drawn && (finishedDrawn || (now - this.lastDraw < REDRAW_MS && !finished))) return;
    this.draw(now);
  }

  /** The transfer is over: removes the bar for good, so that what is written next starts on a clean line. */
  clear(): void {
    clearInterval(this.stallRedraw);
    this.stallRedraw = undefined;
    this.erase();
  }

  /** Seconds since the transfer began. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  private sample(now: number, bytes: number): void {
    this.samples.push({ at: now, bytes });
    while (this.samples.length > 2 && now - this.samples[1].at > RATE_WINDOW_MS) this.samples.shift();
  }

  private erase(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(now: number): void {
    if (!this.latest) return;
    const { bytes, total, awaiting } = this.latest;
    this.drawnBytes = bytes;
    this.lastDraw = now;
    const oldest = this.samples[0];
    const rate = now - oldest.at > 0 ? ((bytes - oldest.bytes) * 1000) / (now - oldest.at) : 0;
    const figures = { bytes, total: total > 0 ? total : undefined, rate, columns: this.out.columns || 80, awaiting };
    this.out.write(`\r${progressLine(figures)}\x1b[K`);
    this.drawn = true;
    this.stallRedraw ??= setInterval(() => this.redrawStill(), STALL_REDRAW_MS).unref();
  }

  /**
   * No update for a while: the same bytes again, so the rate falls; a finished line stays as it is. A bar that a
   * line erased is drawn again, so a stall that began before the line still shows below it.
   */
  private redrawStill(): void {
    const now = performance.now();
    const { latest } = this;
    if (!latest) return;
    const finished = latest.total > 0 && this.drawnBytes >= latest.total;
    if (this.drawn && (now - this.lastDraw < STALL_REDRAW_MS || finished)) return;
    if (!finished) this.sample(now, latest.bytes);
    this.draw(now);
  }
}
