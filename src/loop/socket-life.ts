/**
 * A TCP connection's life as the loop sees it, beside the protocol machine it carries. `open` while that
 * machine runs (its writes flowing, or `full` until the socket drains); once the machine has finished,
 * `lingering`: our side ends, and the socket closes by itself once the peer has ended its own (Node
 * destroys a stream both of whose sides have ended), or is destroyed after `linger`. When the socket closes
 * under a running machine, a clean close (both sides ended, no error) lets it finish its local work (a commit)
 * for up to `localWork`; any other close breaks the session. This file knows no socket: connection.ts
 * supplies every action and the socket's guards through `provide`.
 */
import { and, not, setup } from 'xstate';
import { DEFAULT_LOOP_OPTIONS } from './loop-options';

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
  | { type: 'socket.closed'; hadError: boolean };

const supplied = () => {
  throw new Error('supplied by connection.ts through provide');
};

export const socketLife = setup({
  types: { events: {} as SocketLifeEvent },
  actions: {
    /** Tell the protocol machine `wire.full`: stop producing. */
    tellFull: supplied,
    /** Tell the protocol machine `wire.drain`: produce again. */
    tellDrained: supplied,
    /** End our side (FIN) after pending writes, unless already ended. */
    endOwnSide: supplied,
    destroy: supplied,
    /** Abort with RST: the peer must not mistake it for success. */
    reset: supplied,
    /** Tell a machine still running that its socket is gone (`socket.error`, code `closed`). */
    breakSession: supplied,
  },
  guards: {
    /** The peer ended its side, after every byte it sent was read. */
    peerEnded: supplied,
    /** Our side's FIN went out after every byte we wrote (not so when we reset the connection ourselves). */
    ownSideFinished: supplied,
    closedOnError: ({ event }) => event.type === 'socket.closed' && event.hadError,
  },
  delays: { linger: DEFAULT_LOOP_OPTIONS.lingerMs, localWork: DEFAULT_LOOP_OPTIONS.localWorkMs },
}).createMachine({
  id: 'socket-life',
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
        'socket.closed': [
          { guard: and([not('closedOnError'), 'peerEnded', 'ownSideFinished']), target: 'finishing_local_work' },
          { target: 'broken' },
        ],
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
