/**
 * The clock an actor system's timers run on, for plain code that keeps time beside its machines (the bulk
 * actors' meter, a connection's idle watchdog): the loop's (io-first-clock.ts, real time) or replay's
 * (step-clock.ts, simulated).
 */
import type { AnyActorScope } from 'xstate';

export interface SystemClock {
  setTimeout: (fire: () => void, ms: number) => unknown;
  /** Clearing a timer never set (undefined) does nothing. */
  clearTimeout: (timer: unknown) => void;
  /** The clock's time: a simulated clock's own, else real time. */
  now: () => number;
}

export function clockOf(system: AnyActorScope['system']): SystemClock {
  const clock = system._clock as Omit<SystemClock, 'now'> & Partial<Pick<SystemClock, 'now'>>;
  return {
    setTimeout: clock.setTimeout.bind(clock),
    clearTimeout: (timer) => timer !== undefined && clock.clearTimeout(timer),
    now: clock.now?.bind(clock) ?? (() => performance.now()),
  };
}
