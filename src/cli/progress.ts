/**
 * Transfer progress on stderr: one redrawn line on a terminal (bar, bytes, current rate, ETA), cut to
 * the terminal's width so it never wraps; a line at the start and the end otherwise; nothing with --quiet.
 */
import { formatBytes, type Logger } from '../log/logger';
import { printable } from './printable';

const REDRAW_MS = 100;
/** While no bytes move the line is still redrawn this often, so its rate falls to 0 and its ETA to `?`. */
const STALL_REDRAW_MS = 500;
/** The current rate is measured over this much recent time, so a stall or a burst shows within seconds. */
const RATE_WINDOW_MS = 2000;
const MIN_BAR = 10;
/** The widest `formatBytes` below 10,000 TiB: `1023.9 KiB`. Every number is padded to it, so a width has one layout. */
const BYTES_WIDTH = 10;
/** The widest `shortBytes` below 10,000 TiB: `1023K`. */
const SHORT_WIDTH = 5;
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

/** How a line writes its numbers: in full (`1023.9 KiB`), or short (`1023K`) on a narrow terminal. */
type Numbers = (bytes: number) => string;
const FULL: Numbers = (bytes) => formatBytes(bytes).padStart(BYTES_WIDTH);
const SHORT: Numbers = (bytes) => shortBytes(bytes).padStart(SHORT_WIDTH);

/**
 * One progress line, at most `columns - 1` wide: the cursor never reaches the last column, so nothing wraps.
 * Its parts, most important first: percent (or, while the size is unknown, the bytes so far), the current rate,
 * the bytes of the size, the ETA; a narrower terminal drops them from the last, and the bar takes the room left
 * (at least 10 columns), so the bar shrinks and goes first. Numbers are written short (`5.0M`) where that keeps
 * more of the line. Every part has a fixed width, so what is shown depends on the width (and whether the size is
 * known) only, never on the figures: the line keeps its layout while it is redrawn.
 */
export function progressLine(figures: ProgressFigures): string {
  const width = Math.max(figures.columns - 1, 1);
  const full = fitted(parts(figures, FULL), width, figures.total !== undefined);
  const short = fitted(parts(figures, SHORT), width, figures.total !== undefined);
  const { shown, bar } = score(short) > score(full) ? short : full;
  if (shown.length === 0) return '';
  const [first, ...rest] = shown.map(([, text]) => text);
  if (bar === 0) return [first, ...rest].join('  ');
  const { bytes, total = 0 } = figures;
  const filled = Math.round(Math.min(bytes / Math.max(total, 1), 1) * (bar - 2));
  const drawn = `${first} [${'#'.repeat(filled)}${'-'.repeat(bar - 2 - filled)}]`;
  return [drawn, ...rest].join('  ');
}

type Part = [key: string, text: string];

/** The line's parts, most important first, and the order they read in. */
function parts(
  { bytes, total, rate, awaiting }: ProgressFigures,
  numbers: Numbers,
): { parts: Part[]; order: string[] } {
  const speed: Part = ['rate', `${numbers(Math.round(rate))}/s`];
  if (total === undefined)
    return {
      parts: [['amount', numbers(bytes)], speed, ['unknown', '(size not known yet)']],
      order: ['amount', 'unknown', 'rate'],
    };
  const amount: Part = ['amount', `${numbers(bytes)} / ${numbers(total).trimStart()}`];
  if (awaiting !== undefined && bytes >= total)
    return { parts: [['percent', '100%'], ['awaiting', awaiting], amount], order: ['percent', 'amount', 'awaiting'] };
  const percent = Math.floor(Math.min(bytes / Math.max(total, 1), 1) * 100);
  const eta = rate > 0 ? duration(Math.max(total - bytes, 0) / rate) : '?';
  return {
    parts: [
      ['percent', `${String(percent).padStart(3)}%`],
      speed,
      amount,
      ['eta', `ETA ${eta.padEnd(DURATION_WIDTH)}`],
    ],
    order: ['percent', 'amount', 'rate', 'eta'],
  };
}

/**
 * The most important parts that fit `width`, two spaces apart, in reading order, and the bar's width in what is left
 * (0: no bar; only with a known size).
 */
function fitted({ parts: ranked, order }: { parts: Part[]; order: string[] }, width: number, withBar: boolean) {
  const kept: Part[] = [];
  let used = -2;
  for (const part of ranked) {
    if (used + 2 + part[1].length > width) break;
    used += 2 + part[1].length;
    kept.push(part);
  }
  const shown = kept.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  // The bar, brackets included, goes after the first part: one space before it, two after.
  const room = width - used - 3;
  return { shown, bar: withBar && shown.length > 0 && room >= MIN_BAR ? room : 0 };
}

const score = ({ shown, bar }: { shown: Part[]; bar: number }) => shown.length + (bar > 0 ? 1 : 0);

/** `999B`, `5.0K`, `50K`, `1023K`, `5.0M`: at most 5 characters below 10,000 TiB. */
function shortBytes(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit > 0 && value < 9.95 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
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
    this.out.write(`${printable(text)}\n`);
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

  /** A resumed transfer starts at `bytes` kept from an earlier one: counted in the figures, never in the rate. */
  resumedAt(bytes: number): void {
    this.samples.length = 0;
    this.sample(performance.now(), bytes);
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
