/**
 * The clock every connection's machine keeps time by (its `after` delays: the idle timeout, a quiet period, a
 * rate window): a delay that is due fires only once the loop has read what came meanwhile. Node runs due timers
 * before it polls the sockets, so on a loop busy past a delay (other connections' work), a timer would fire
 * before the bytes that arrived in time were read: a quiet period would end a request whose rest was already
 * here. Handing the due timer to `setImmediate` lets the poll come first; bytes read there re-enter the state,
 * which cancels it.
 */
import type { ActorOptions, AnyActorLogic } from 'xstate';

type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

interface Pending {
  timer?: NodeJS.Timeout;
  immediate?: NodeJS.Immediate;
}

export const ioFirstClock: Clock = {
  setTimeout: (fire: () => void, ms: number): Pending => {
    const pending: Pending = {};
    pending.timer = setTimeout(() => (pending.immediate = setImmediate(fire)), ms);
    return pending;
  },
  clearTimeout: (pending: Pending) => {
    clearTimeout(pending.timer);
    clearImmediate(pending.immediate);
  },
};
