/**
 * Tells when the peer takes bytes we sent: every so often while some of what
 * the kernel accepted is unacknowledged, it reads the socket's send queue and
 * calls `onProgress` if the peer acknowledged more than before. A client's
 * last write is done once the kernel has it, yet megabytes may then drain over
 * a slow link; this is how its idle watchdog learns that they still move, and its
 * progress bar how many have left. A peer that stops reading acknowledges
 * nothing, so it still times out.
 */
import type { Socket } from 'node:net';
import { unacknowledgedBytes, unacknowledgedBytesNow } from './tcp-table';

/** How often a client looks: its progress bar follows. */
export const CLIENT_POLL_MS = 250;
/**
 * How often a server looks: only its idle watchdog needs to hear that a slow reader still takes bytes (a socket
 * whose send buffer is full says it has room again only once much of it has drained: minutes at a few KB/s).
 */
export const SERVER_POLL_MS = 1000;

export interface SendProgress {
  /** Bytes sent that the peer has acknowledged, as the last look found. */
  acknowledged(): number;
  /** Looks now, not on the next tick (`onProgress` hears it if the peer took more); resolves once it has looked. */
  lookNow(): Promise<void>;
  stop(): void;
}

/** One socket's watch, looked at on its interval's ticks. */
class Watch implements SendProgress {
  private acknowledgedBytes = 0;
  private tells = true;
  private looking = false;

  constructor(
    private readonly socket: Socket,
    private readonly ticker: Ticker,
    private readonly onProgress: (waiting: number) => void,
    /** Ticks before this one are skipped: see `watchSendProgress`. */
    private readonly firstTick: number,
  ) {}

  acknowledged(): number {
    return this.acknowledgedBytes;
  }

  stop(): void {
    this.ticker.remove(this);
  }

  async look(tick: number): Promise<void> {
    if (tick < this.firstTick || this.looking || this.socket.bytesWritten <= this.acknowledgedBytes) return;
    await this.lookNow();
  }

  async lookNow(): Promise<void> {
    const before = inKernel(this.socket);
    this.looking = true;
    const counted = this.tells ? await unacknowledgedBytes(this.socket) : 0;
    this.looking = false;
    if (counted === undefined) this.tells = false;
    if (counted === undefined || !this.ticker.has(this)) return;
    const acknowledged = acknowledgedOf(this.socket, before, counted);
    if (acknowledged > this.acknowledgedBytes) {
      this.acknowledgedBytes = acknowledged;
      this.onProgress(this.socket.bytesWritten - acknowledged);
    }
  }
}

/**
 * Of the `before` bytes the kernel had taken from `socket` when its table was read, those the peer acknowledged,
 * the table counting `counted` unacknowledged. Once our FIN is queued (the socket finished: `end` and every write
 * done), the kernel counts it as one more byte to acknowledge: it is no byte of ours. The bytes in `before` were in
 * the kernel before the table was read, and the table counts every byte there not yet acknowledged, with any taken
 * since: so at least `before - unacknowledged` are acknowledged, also while writes go on (a fast upload, which a
 * sample taken only between writes would leave at 0 for its whole length).
 */
const acknowledgedOf = (socket: Socket, before: number, counted: number): number =>
  before - Math.max(0, counted - (socket.writableFinished ? 1 : 0));

/**
 * The bytes handed to `socket` that the peer has not acknowledged, as the kernel says at this moment (undefined
 * where it does not tell): for a line that must be right before the process exits (a signal's), not for a loop.
 */
export function waitingNow(socket: Socket): number | undefined {
  const before = inKernel(socket);
  const counted = unacknowledgedBytesNow(socket);
  return counted === undefined ? undefined : socket.bytesWritten - acknowledgedOf(socket, before, counted);
}

/** net's Socket and its libuv handle as far as `inKernel` reads them (lib/net.js, stream_wrap.cc). */
interface SocketInternals {
  _bytesDispatched?: number;
  _handle?: { writeQueueSize?: number } | null;
}

/**
 * The bytes the kernel has taken from `socket`: those handed to libuv less those libuv still queues. A write counts
 * as written only once the kernel has all of it, so a slow reader's 256 KiB write may be partly in the kernel for
 * long: counting only finished writes, a reader under ~256 KiB per idle timeout was cut as idle while it read, and
 * --min-rate saw half a slow reader's rate. Where net does not tell (another runtime), the finished writes.
 */
function inKernel(socket: Socket): number {
  const { _bytesDispatched: dispatched, _handle: handle } = socket as unknown as SocketInternals;
  const queued = handle?.writeQueueSize;
  return typeof dispatched === 'number' && typeof queued === 'number'
    ? dispatched - queued
    : socket.bytesWritten - socket.writableLength;
}

/**
 * One timer per interval for every socket watched on it, running only while there is one: their looks come
 * on the same ticks and share one read of the table (tcp-table.ts), and a connection holds no timer of its own.
 */
class Ticker {
  count = 0;
  private readonly watches = new Set<Watch>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly everyMs: number) {}

  /** Whether a tick is already under way: a watch added now waits only part of an interval for it. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  add(watch: Watch): void {
    this.watches.add(watch);
    this.timer ??= setInterval(() => this.tick(), this.everyMs).unref();
  }

  has(watch: Watch): boolean {
    return this.watches.has(watch);
  }

  remove(watch: Watch): void {
    this.watches.delete(watch);
    if (this.watches.size > 0 || this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.count++;
    for (const watch of this.watches) void watch.look(this.count);
  }
}

const tickers = new Map<number, Ticker>();

/**
 * Starts watching, every `everyMs`. `onProgress` gets the bytes handed to the socket that the peer has not
 * acknowledged yet. Where the system does not tell (not Linux), bytes the kernel took count as acknowledged.
 * The first look skips the tick that falls within the socket's first interval: a connection that lives a few
 * milliseconds (a small request) would otherwise make a busy server read the whole table, thousands of
 * TIME_WAIT rows (4 MB, 50 ms with 26k rows), about every second, for nothing.
 */
export function watchSendProgress(
  socket: Socket,
  everyMs: number,
  onProgress: (waiting: number) => void,
): SendProgress {
  let ticker = tickers.get(everyMs);
  if (ticker === undefined) tickers.set(everyMs, (ticker = new Ticker(everyMs)));
  const watch = new Watch(socket, ticker, onProgress, ticker.count + (ticker.running ? 2 : 1));
  ticker.add(watch);
  return watch;
}
