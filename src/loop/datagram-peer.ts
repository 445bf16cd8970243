/**
 * Runs one UDP peer (an address and port) as a connection: each datagram from
 * it is pushed into its machine like a chunk on TCP, each `wire.write` is sent
 * to it as one datagram. UDP has no end of stream, so a peer that stays quiet
 * for `idleMs` (servers) is told `socket.end` and its machine finishes.
 */
import { errorCode } from '../storage/errors';
import { onWireCommands } from '../engine/wire-commands';
import type { WireCommand, SessionOutcome, ConnectionSpec } from '../engine/protocol';
import { DEFAULT_LOOP_OPTIONS, type LoopOptions } from './loop-options';
import { openSession, outcomeOf, type SessionOptions } from './session';
import { extended } from '../engine/extended';

export interface PeerOptions extends SessionOptions {
  /** Sends one datagram to the peer; `done` runs once it has left. */
  send(bytes: Uint8Array, done: (error: Error | null) => void): void;
  /** Retire the peer after this long without a datagram from it (servers); never when absent (clients). */
  idleMs?: number;
  loop?: LoopOptions;
}

export interface RunningPeer {
  /** A datagram from the peer; false if it was dropped because too many are waiting. */
  receive(datagram: Buffer): boolean;
  /** Ends the peer as if it had gone quiet: a request in progress finishes first. */
  retire(): void;
  /** The socket reported an error for this peer (ICMP port unreachable: ECONNREFUSED). */
  fail(code: string): void;
  /** Waiting for a request with nothing queued or unsent: retiring it now loses nothing. */
  idle(): boolean;
  finished: Promise<SessionOutcome>;
}

export function runDatagramPeer(spec: ConnectionSpec, options: PeerOptions): RunningPeer {
  const { record } = options;
  const { maxQueuedDatagramBytes } = options.loop ?? DEFAULT_LOOP_OPTIONS;
  const { actor, observers, pump, close } = openSession(spec, extended(options, { endRate: false }));
  let unsent = 0;
  let flushWanted = false;
  let idle: NodeJS.Timeout | undefined;
  let closed = false;

  const flushed = () => {
    if (flushWanted && unsent === 0 && actor.getSnapshot().status === 'active') {
      flushWanted = false;
      actor.send({ type: 'wire.flushed' });
    }
  };
  const carryOut = (command: WireCommand) => {
    if (closed) return;
    if (command.type === 'wire.write') {
      record?.out(command.bytes);
      unsent++;
      options.send(command.bytes, (error) => {
        unsent--;
        command.written?.();
        if (error && actor.getSnapshot().status === 'active')
          pump.send({ type: 'socket.error', code: errorCode(error) });
        else flushed();
      });
    } else if (command.type === 'wire.flush') {
      flushWanted = true;
      queueMicrotask(flushed);
    }
    // wire.end and wire.reset: nothing to close on UDP; the machine is final and the peer is retired below.
  };
  onWireCommands(observers, carryOut);

  /** UDP has no FIN: silence, or the server closing, stands for the peer ending its side. */
  const retire = () => {
    if (closed) return;
    record?.end();
    pump.end();
  };
  const restartIdle = () => {
    clearTimeout(idle);
    if (options.idleMs !== undefined) idle = setTimeout(retire, options.idleMs).unref();
  };

  const finished = new Promise<SessionOutcome>((resolve) => {
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(idle);
      const outcome = outcomeOf(actor);
      actor.stop();
      resolve(close(outcome));
    };
    observers.observe({
      next: (snapshot) => (snapshot.status === 'active' ? queueMicrotask(() => pump.run()) : finish()),
      // An error is no snapshot: without this the peer would never finish, nor would shutdown.
      error: finish,
    });
  });

  actor.start();
  restartIdle();
  return {
    receive: (datagram) => {
      if (closed) return false;
      if (pump.buffered + datagram.length > maxQueuedDatagramBytes) return false;
      record?.in(datagram);
      restartIdle();
      pump.push(datagram);
      return true;
    },
    retire,
    fail: (code) => {
      if (!closed && actor.getSnapshot().status === 'active') pump.send({ type: 'socket.error', code });
    },
    idle: () => pump.wantsInput() && pump.buffered === 0 && unsent === 0,
    finished,
  };
}
