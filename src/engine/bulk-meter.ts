/**
 * What the two bulk actors (file-actors.ts) keep while file bytes move, so
 * that their machine is not stepped per chunk: a count of the bytes, reported
 * coarsely, and one idle watchdog on a last-activity time stamp. Moving bytes
 * only adds to a number and writes the stamp: no timer is cleared or re-armed
 * per chunk. Timers run on the actor system's clock (simulated in replay).
 */
import type { AnyActorRef, AnyActorScope } from 'xstate';
import { clockOf } from './system-clock';

/** The machine hears of the bytes at least this often while they move, and after this many at the latest. */
export const PROGRESS_MS = 250;
export const PROGRESS_BYTES = 64 * 1024 * 1024;

/** The meter's own timers: the actor hands them back to `timer` when they arrive. */
export type MeterTimer = { type: 'meter.idle' } | { type: 'meter.tick' };

export interface MeterHooks {
  /** How long nothing may move before `stalled`. */
  idleMs: number;
  /** `bytes` more have moved since the last report. */
  report(bytes: number): void;
  /** Nothing moved for `idleMs`. */
  stalled(): void;
  /** True while the wait is on our side (a full disk), which is no stall: the watchdog looks again later. */
  waitingOnUs?: () => boolean;
}

export interface BulkMeter {
  /** `bytes` moved now. */
  moved(bytes: number): void;
  /** Something moved that is not counted (the peer acknowledged bytes sent earlier). */
  active(): void;
  /** Report now the bytes not yet reported. */
  flush(): void;
  /** The bytes not yet reported, for the caller to tell with an event of its own: they count as reported. */
  take(): number;
  timer(event: MeterTimer): void;
  /** Cancels the timers (the bytes not yet reported stay so: `flush` first to report them). */
  stop(): void;
}

type Scope = Pick<AnyActorScope, 'self' | 'system'>;

/** Starts the watchdog; `self` must pass its `meter.*` events to `timer`. */
export function bulkMeter({ self, system }: Scope, hooks: MeterHooks): BulkMeter {
  const { now } = clockOf(system);
  let unreported = 0;
  let ticking = false;
  let lastActive = now();
  const schedule = (event: MeterTimer, ms: number) =>
    system.scheduler.schedule(self as AnyActorRef, self as AnyActorRef, event, ms, event.type);
  const take = () => {
    const bytes = unreported;
    unreported = 0;
    return bytes;
  };
  const flush = () => {
    const bytes = take();
    if (bytes > 0) hooks.report(bytes);
  };
  const stop = () => {
    system.scheduler.cancel(self as AnyActorRef, 'meter.idle');
    system.scheduler.cancel(self as AnyActorRef, 'meter.tick');
  };
  schedule({ type: 'meter.idle' }, hooks.idleMs);
  return {
    moved: (bytes) => {
      lastActive = now();
      unreported += bytes;
      if (unreported >= PROGRESS_BYTES) flush();
      else if (!ticking) {
        ticking = true;
        schedule({ type: 'meter.tick' }, PROGRESS_MS);
      }
    },
    active: () => {
      lastActive = now();
    },
    flush,
    take,
    timer: (event) => {
      if (event.type === 'meter.tick') {
        ticking = false;
        flush();
        return;
      }
      const quiet = now() - lastActive;
      if (quiet < hooks.idleMs) {
        schedule(event, hooks.idleMs - quiet);
        return;
      }
      if (hooks.waitingOnUs?.()) {
        schedule(event, hooks.idleMs);
        return;
      }
      stop();
      flush();
      hooks.stalled();
    },
    stop,
  };
}
