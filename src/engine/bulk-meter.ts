/**
 * What the two bulk actors (file-actors.ts) keep while file bytes move, so
 * that their machine is not stepped per chunk: a count of the bytes, reported
 * coarsely, and one idle watchdog on a last-activity time stamp. Moving bytes
 * only adds to a number and writes the stamp: no timer is cleared or re-armed
 * per chunk. Its two timers run on the actor system's clock (simulated in replay), set and cleared directly:
 * through xstate's scheduler, each was an event kept in the system's snapshot, and a small download paid for
 * two it then cancelled.
 */
import type { AnyActorScope } from 'xstate';
import { clockOf } from './system-clock';

/** The machine hears of the bytes at least this often while they move, and after this many at the latest. */
export const PROGRESS_MS = 250;
export const PROGRESS_BYTES = 64 * 1024 * 1024;

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
  /** Cancels the timers (the bytes not yet reported stay so: `flush` first to report them). */
  stop(): void;
}

/** Starts the watchdog, on the clock of the actor system the bulk actor runs in. */
export function bulkMeter(system: AnyActorScope['system'], hooks: MeterHooks): BulkMeter {
  const clock = clockOf(system);
  let unreported = 0;
  let tick: unknown;
  let idle: unknown;
  /** Once stopped, no timer is set again: bytes still counted after it are only reported by `flush`. */
  let stopped = false;
  let lastActive = clock.now();
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
    stopped = true;
    clock.clearTimeout(idle);
    clock.clearTimeout(tick);
  };
  const ticked = () => {
    tick = undefined;
    flush();
  };
  const lookIdle = () => {
    const quiet = clock.now() - lastActive;
    if (quiet < hooks.idleMs) idle = clock.setTimeout(lookIdle, hooks.idleMs - quiet);
    else if (hooks.waitingOnUs?.()) idle = clock.setTimeout(lookIdle, hooks.idleMs);
    else {
      stop();
      flush();
      hooks.stalled();
    }
  };
  idle = clock.setTimeout(lookIdle, hooks.idleMs);
  return {
    moved: (bytes) => {
      lastActive = clock.now();
      unreported += bytes;
      if (unreported >= PROGRESS_BYTES) flush();
      else if (!stopped) tick ??= clock.setTimeout(ticked, PROGRESS_MS);
    },
    active: () => {
      lastActive = clock.now();
    },
    flush,
    take,
    stop,
  };
}
