/**
 * A TCP connection's life as the loop sees it, beside the protocol machine it carries. `open` while that
 * machine runs (its writes flowing, or `full` until the socket drains); once the machine has finished,
 * `lingering`: our side ends, and the socket closes by itself once the peer has ended its own (Node
 * destroys a stream both of whose sides have ended), or is destroyed after `linger`. When the socket closes
 * under a running machine, a clean close (both sides ended, no error) lets it finish its local work (a commit)
 * for up to `localWork`; any other close breaks the session. This file knows no socket: it emits what is to
 * be done (`SocketLifeCommand`), connection.ts does it and tells it the socket's events, so one machine
 * serves every connection (no `provide` per connection).
 */
import { emit, setup } from 'xstate';
import type { LoopOptions } from './loop-options';

/** What the loop tells the connection's life: socket events and how the protocol machine is doing. */
export type SocketLifeEvent =
  /** A write was queued past the socket's high-water mark. */
  | { type: 'writes.full' }
  /** The socket's queued writes have drained. */
  | { type: 'writes.drained' }
  /** The protocol machine reached its final state. */
  | { type: 'session.over' }
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

export type SocketLifeInput = Pick<LoopOptions, 'lingerMs' | 'localWorkMs'>;

export const socketLife = setup({
  types: {
    events: {} as SocketLifeEvent,
    emitted: {} as SocketLifeCommand,
    input: {} as SocketLifeInput,
    context: {} as SocketLifeInput,
  },
  actions: {
    tellFull: emit({ type: 'life.full' as const }),
    tellDrained: emit({ type: 'life.drained' as const }),
    endOwnSide: emit({ type: 'life.end' as const }),
    destroy: emit({ type: 'life.destroy' as const }),
    reset: emit({ type: 'life.reset' as const }),
    breakSession: emit({ type: 'life.broken' as const }),
  },
  guards: {
    closedCleanly: ({ event }) =>
      event.type === 'socket.closed' && !event.hadError && event.peerEnded && event.ownSideFinished,
  },
  delays: {
    linger: ({ context }) => context.lingerMs,
    localWork: ({ context }) => context.localWorkMs,
  },
}).createMachine({
  id: 'socket-life',
  context: ({ input }) => input,
  initial: 'open',
  states: {
    open: {
      initial: 'flowing',
      states: {
        flowing: { on: { 'writes.full': 'full' } },
        full: { entry: 'tellFull', on: { 'writes.drained': { target: 'flowing', actions: 'tellDrained' } } },
      },
      on: {
        'session.over': 'lingering',
        'session.failed': 'aborting',
        'socket.closed': [{ guard: 'closedCleanly', target: 'finishing_local_work' }, { target: 'broken' }],
      },
    },
    lingering: {
      entry: 'endOwnSide',
      on: { 'socket.closed': 'closed' },
      after: { linger: 'closing' },
    },
    closing: { entry: 'destroy', on: { 'socket.closed': 'closed' } },
    aborting: { entry: 'reset', on: { 'socket.closed': 'closed' } },
    finishing_local_work: {
      on: { 'session.over': 'closed', 'session.failed': 'closed' },
      after: { localWork: 'broken' },
    },
    broken: { type: 'final', entry: 'breakSession' },
    closed: { type: 'final' },
  },
});
