/**
 * A TCP connection's life as the loop sees it, beside the protocol machine it carries. `flowing` while that
 * machine runs (`full` until the socket drains); once the machine has finished, `lingering`: our side ends,
 * and the socket closes by itself once the peer has ended its own (Node destroys a stream both of whose
 * sides have ended), or is destroyed after `linger` (`closing`). A server's machine that succeeds while the
 * peer may not have acknowledged all we sent (the end of a download, still in the kernel's buffers) is
 * `draining` first: our side ends, and no timer of its own runs until the peer has acknowledged it all (the
 * slot guard times the peer meanwhile, as while the machine ran). When the socket closes under a running
 * machine, a clean close (both sides ended, no error) lets it finish its local work (a commit) for up to
 * `localWork`; any other close breaks the session. This file knows no socket: it says what is to be done
 * (`SocketLifeCommand`), connection.ts does it and tells it the socket's events.
 *
 * Plain code rather than a second xstate actor per connection: its nine states and two timers cost a
 * connection an actor, an actor system and their transitions (about 6% of a small download's server CPU).
 */
import type { LoopOptions } from './loop-options';

/** What the loop tells the connection's life: socket events and how the protocol machine is doing. */
export type SocketLifeEvent =
  /** A write was queued past the socket's high-water mark. */
  | { type: 'writes.full' }
  /** The socket's queued writes have drained. */
  | { type: 'writes.drained' }
  /** The protocol machine reached its final state; `draining` when the peer may not have acknowledged all we sent. */
  | { type: 'session.over'; draining: boolean }
  /** The peer has acknowledged every byte we sent. */
  | { type: 'sends.acknowledged' }
  /** The protocol machine threw. */
  | { type: 'session.failed' }
  /**
   * The socket closed: `peerEnded` when the peer ended its side after every byte it sent was read,
   * `ownSideFinished` when our FIN went out after every byte we wrote (not so when we reset it ourselves).
   */
  | { type: 'socket.closed'; hadError: boolean; peerEnded: boolean; ownSideFinished: boolean };

/** What the loop is to do for the connection's life. */
export type SocketLifeCommand =
  /** Tell the protocol machine `wire.full`: stop producing. */
  | { type: 'life.full' }
  /** Tell the protocol machine `wire.drain`: produce again. */
  | { type: 'life.drained' }
  /** End our side (FIN) after pending writes, unless already ended. */
  | { type: 'life.end' }
  | { type: 'life.destroy' }
  /** Abort with RST: the peer must not mistake it for success. */
  | { type: 'life.reset' }
  /** Tell a machine still running that its socket is gone (`socket.error`, code `closed`). */
  | { type: 'life.broken' };

export type SocketLifeState =
  'flowing' | 'full' | 'draining' | 'lingering' | 'closing' | 'aborting' | 'finishing_local_work' | 'broken' | 'closed';

/** The states in which the life is over: the connection settles on entering one. */
const FINAL: ReadonlySet<SocketLifeState> = new Set<SocketLifeState>(['broken', 'closed']);

/** What entering a state does at once (`flowing` is entered only from `full`: the life starts in it without entering). */
const ENTRY: Partial<Record<SocketLifeState, SocketLifeCommand>> = {
  flowing: { type: 'life.drained' },
  full: { type: 'life.full' },
  draining: { type: 'life.end' },
  lingering: { type: 'life.end' },
  closing: { type: 'life.destroy' },
  aborting: { type: 'life.reset' },
  broken: { type: 'life.broken' },
};

const closedCleanly = (event: Extract<SocketLifeEvent, { type: 'socket.closed' }>) =>
  !event.hadError && event.peerEnded && event.ownSideFinished;

/** A state's own timer running out: `lingering`'s after lingerMs, `finishing_local_work`'s after localWorkMs. */
type LifeTimer = { type: 'timer.linger' } | { type: 'timer.local_work' };

/** Where `event` takes the life from `state`, or undefined when that state ignores it. */
function nextLifeState(state: SocketLifeState, event: SocketLifeEvent | LifeTimer): SocketLifeState | undefined {
  switch (state) {
    case 'flowing':
    case 'full':
      if (event.type === 'writes.full' && state === 'flowing') return 'full';
      if (event.type === 'writes.drained' && state === 'full') return 'flowing';
      if (event.type === 'session.over') return event.draining ? 'draining' : 'lingering';
      if (event.type === 'session.failed') return 'aborting';
      if (event.type === 'socket.closed') return closedCleanly(event) ? 'finishing_local_work' : 'broken';
      return undefined;
    case 'draining':
      if (event.type === 'sends.acknowledged') return 'lingering';
      return event.type === 'socket.closed' ? 'closed' : undefined;
    case 'lingering':
      if (event.type === 'timer.linger') return 'closing';
      return event.type === 'socket.closed' ? 'closed' : undefined;
    case 'closing':
    case 'aborting':
      return event.type === 'socket.closed' ? 'closed' : undefined;
    case 'finishing_local_work':
      if (event.type === 'timer.local_work') return 'broken';
      return event.type === 'session.over' || event.type === 'session.failed' ? 'closed' : undefined;
    case 'broken':
    case 'closed':
      return undefined;
  }
}

export interface SocketLifeHooks {
  /** Carries out a command (connection.ts). */
  carryOut(command: SocketLifeCommand): void;
  /** The life is over (`broken` or `closed`). */
  finished(): void;
  /** A command threw: only a bug could get here. */
  failed(error: unknown): void;
}

/**
 * Starts a connection's life in `flowing`; returns how to tell it an event. Events told while one is being
 * handled (a command's effect can cause one) are handled after it, in order.
 */
export function startSocketLife(
  { lingerMs, localWorkMs }: Pick<LoopOptions, 'lingerMs' | 'localWorkMs'>,
  hooks: SocketLifeHooks,
): (event: SocketLifeEvent) => void {
  let state: SocketLifeState = 'flowing';
  let timer: NodeJS.Timeout | undefined;
  const waiting: (SocketLifeEvent | LifeTimer)[] = [];
  let handling = false;

  const armTimer = () => {
    if (state === 'lingering') timer = setTimeout(() => tell({ type: 'timer.linger' }), lingerMs);
    else if (state === 'finishing_local_work')
      timer = setTimeout(() => tell({ type: 'timer.local_work' }), localWorkMs);
  };
  const enter = (next: SocketLifeState) => {
    clearTimeout(timer);
    timer = undefined;
    state = next;
    const command = ENTRY[next];
    if (command) hooks.carryOut(command);
    armTimer();
    if (FINAL.has(next)) hooks.finished();
  };
  function tell(event: SocketLifeEvent | LifeTimer): void {
    waiting.push(event);
    if (handling) return;
    handling = true;
    try {
      for (let next = waiting.shift(); next && !FINAL.has(state); next = waiting.shift()) {
        const to = nextLifeState(state, next);
        if (to !== undefined) enter(to);
      }
    } catch (error) {
      clearTimeout(timer);
      state = 'closed';
      hooks.failed(error);
    } finally {
      waiting.length = 0;
      handling = false;
    }
  }
  return tell;
}
