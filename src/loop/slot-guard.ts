/**
 * Keeps one connection from holding a slot for free, whatever its protocol: a
 * deadline for each whole request, a minimum rate while bulk bytes move, and
 * once the machine has finished with bytes still on their way (the end of a
 * download in the kernel's buffers), that rate and an idle timeout for the peer
 * taking them.
 * It sees only the socket's byte counts and what the machine tells the loop
 * (its `bulk` tag, its `session.request`), so a new protocol gets both.
 */
import type { Socket } from 'node:net';
import type { SendProgress } from './send-progress';

export interface SlotLimits {
  /** How long a whole request may take to arrive: from connect (or its first byte after the previous request) until the machine announces it. */
  requestTimeoutMs: number;
  /** Bytes per second, both ways together, a bulk phase must average over each window. */
  minRate: number;
  rateWindowMs: number;
  /** How long the peer may acknowledge nothing of what is still on its way once the machine has finished (`--idle-timeout`). */
  idleTimeoutMs: number;
}

/** Unless configured (`--request-timeout`, `--min-rate`, `--rate-window`). */
export const DEFAULT_SLOT_LIMITS: SlotLimits = {
  requestTimeoutMs: 10_000,
  minRate: 1024,
  rateWindowMs: 30_000,
  idleTimeoutMs: 30_000,
};

export interface SlotGuard {
  /** The machine announced its request: the deadline is met. */
  requested(): void;
  /** Bytes came in while the machine was (`true`) or was not in a bulk phase. */
  received(bulk: boolean): void;
  /** The machine's state is (not) a bulk phase: the rate is watched, and no request deadline runs. */
  bulk(inBulk: boolean): void;
  /** The machine has finished, and bytes it sent may not have reached the peer: the rate is watched, and the peer must take some each idle timeout. */
  draining(): void;
  /** The peer acknowledged more of what was sent. */
  progressed(): void;
  stop(): void;
}

/**
 * Calls `cut` with a stable code and a reason for the log once a limit is broken; the caller closes the connection.
 * `progress`: the bytes sent that the peer has acknowledged (send-progress.ts): they count as they are taken, not
 * only as the socket takes more, which a full send buffer does in large steps long apart for a slow reader; the
 * guard looks at them afresh before it cuts for either limit (the watch looks only once a second).
 */
export function guardSlot(
  socket: Socket,
  limits: SlotLimits,
  progress: Pick<SendProgress, 'acknowledged' | 'lookNow'>,
  cut: (code: string, reason: string) => void,
): SlotGuard {
  return new Guard(socket, limits, progress, cut);
}

/** A class rather than closures: every connection of a server holds one, idle ones too. */
class Guard implements SlotGuard {
  private deadline: NodeJS.Timeout | undefined;
  private window: NodeJS.Timeout | undefined;
  /** While draining: runs out when the peer has acknowledged nothing for the idle timeout. */
  private idle: NodeJS.Timeout | undefined;
  private movedBefore = 0;

  constructor(
    private readonly socket: Socket,
    private readonly limits: SlotLimits,
    private readonly progress: Pick<SendProgress, 'acknowledged' | 'lookNow'>,
    private readonly cut: (code: string, reason: string) => void,
  ) {
    this.arm();
  }

  requested(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  received(bulk: boolean): void {
    if (!bulk) this.arm();
  }

  bulk(inBulk: boolean): void {
    if (inBulk) this.requested();
    if (inBulk && !this.window) {
      this.movedBefore = this.moved();
      this.window = setInterval(() => this.checkRate(), this.limits.rateWindowMs).unref();
    } else if (!inBulk && this.window) {
      clearInterval(this.window);
      this.window = undefined;
    }
  }

  draining(): void {
    this.bulk(true);
    this.armIdle();
  }

  progressed(): void {
    if (this.idle !== undefined) this.armIdle();
  }

  stop(): void {
    this.requested();
    clearInterval(this.window);
    clearTimeout(this.idle);
    this.idle = undefined;
  }

  /** Bytes that have actually arrived or left: what is still queued for the peer, or in its way, has not moved. */
  private moved(): number {
    return this.socket.bytesRead + this.progress.acknowledged();
  }

  private arm(): void {
    const { requestTimeoutMs } = this.limits;
    this.deadline ??= setTimeout(
      () => this.cut('request_timeout', `request not complete within ${requestTimeoutMs / 1000} s (--request-timeout)`),
      requestTimeoutMs,
    ).unref();
  }

  private armIdle(): void {
    clearTimeout(this.idle);
    const { idleTimeoutMs } = this.limits;
    const armed = (this.idle = setTimeout(() => {
      // A fresh look first: the peer may have taken more since the last tick (then `progressed` has re-armed it).
      void this.progress.lookNow().then(() => {
        if (this.idle !== armed) return;
        this.cut('idle', `took none of the last bytes sent for ${idleTimeoutMs / 1000} s (--idle-timeout)`);
      });
    }, idleTimeoutMs).unref());
  }

  private checkRate(): void {
    if (this.rateUnderMin() === undefined) return;
    // Under it by the last look, up to a second old: a fresh look first, as before an idle cut.
    const window = this.window;
    void this.progress.lookNow().then(() => {
      const rate = this.window === window ? this.rateUnderMin() : undefined;
      const { minRate, rateWindowMs } = this.limits;
      if (rate !== undefined)
        this.cut('too_slow', `${rate.toFixed(0)} B/s over ${rateWindowMs / 1000} s, under --min-rate ${minRate}`);
    });
  }

  /** This window's rate when it is under --min-rate; else undefined, and the next window counts from here. */
  private rateUnderMin(): number | undefined {
    const moved = this.moved();
    const rate = ((moved - this.movedBefore) * 1000) / this.limits.rateWindowMs;
    if (rate < this.limits.minRate) return rate;
    this.movedBefore = moved;
    return undefined;
  }
}
