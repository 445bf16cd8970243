/**
 * Runs one connection: a socket on one side, a protocol's actor on the other.
 * Socket readiness becomes events (frames, `wire.*`, `socket.*`); the actor's
 * emitted wire commands become writes, flushes, FIN or RST. The socket is read
 * only while the actor's state has the `reading` tag and its writes do not
 * back up (a peer that never reads cannot make the server queue without end),
 * and each connection is held to a request deadline and a minimum bulk rate.
 * A client's machine also hears when the peer acknowledges its bytes.
 * How the socket opens, backs up, lingers and closes is socket-life.ts;
 * this file carries out its actions and feeds it the socket's events.
 */
import type { Socket } from 'node:net';
import type { SessionActor } from '../engine/session-actor';
import { errorCode } from '../storage/errors';
import { PEER_IDLE, interruptedBy } from '../engine/outcome';
import { onWireCommands } from '../engine/wire-commands';
import {
  BULK_TAG,
  FLOW_CONTROL_TAG,
  NOT_CONNECTED,
  READING_TAG,
  type ConnectionSpec,
  type SessionOutcome,
  type WireCommand,
} from '../engine/protocol';
import { DEFAULT_LOOP_OPTIONS, type LoopOptions } from './loop-options';
import { openSession, outcomeOf, type SessionOptions } from './session';
import { CLIENT_POLL_MS, SERVER_POLL_MS, watchSendProgress } from './send-progress';
import { guardSlot, type SlotLimits } from './slot-guard';
import { startSocketLife, type SocketLifeEvent } from './socket-life';
import { peerReset } from './peer-reset';
import { resetSocket } from './reset-socket';
import { peerName } from './peer-name';
import type { ChunkReader, LentReads } from './lent-reads';
import { extended } from '../engine/extended';

const EMPTY = Buffer.alloc(0);

export interface ConnectionOptions extends Omit<SessionOptions, 'held'> {
  /** A server's limits on how long a connection may hold its slot (clients have none). */
  limits?: SlotLimits;
  /**
   * A client's: look every CLIENT_POLL_MS, not SERVER_POLL_MS, whether the peer acknowledged more of what was sent
   * (each time it has, the machine hears `wire.progress`, so a slow link draining its last megabytes, or a peer
   * that reads slowly, is not taken for an idle one).
   */
  reportSendProgress?: boolean;
  /** With `reportSendProgress`: hears, at each of those times, how many bytes handed to the socket still wait to be acknowledged. */
  onSendProgress?: (waiting: number) => void;
  loop?: LoopOptions;
  /** The socket reads into this (tcp-connect.ts), not through `data` events. */
  reads?: LentReads;
}

export interface RunningConnection {
  actor: SessionActor;
  /** Settles when the socket has closed, with how the machine ended. */
  finished: Promise<SessionOutcome>;
}

export function runConnection(socket: Socket, spec: ConnectionSpec, options: ConnectionOptions): RunningConnection {
  const { id, log, record } = options;
  const { maxBufferedBytes, lingerMs, localWorkMs } = options.loop ?? DEFAULT_LOOP_OPTIONS;
  // Past the socket's high-water mark, no more frames reach the machine until the peer has read: replies never pile up.
  const { actor, observers, pump, close } = openSession(
    spec,
    extended(options, { held: () => socket.writableNeedDrain, requested: () => guard?.requested() }),
  );
  /** The socket failed or was cut (`code`): the trace records it, and a machine still running is told, so a replay breaks it at the same point. */
  const socketFailed = (code: string) => {
    record?.error(code);
    if (actor.getSnapshot().status === 'active') pump.send({ type: 'socket.error', code });
  };
  /**
   * A server's machine has succeeded while the peer may not have taken all it sent: the connection holds its slot,
   * timed by the guard, until a look finds that the peer has acknowledged it all, or the socket closes. `cutFor`:
   * the limit the guard cut it for. `closedByPeer`: its end or its reset closed the socket; the server cannot tell
   * then whether the peer took the last bytes before (the kernel forgets the socket), and the machine's outcome stands.
   */
  let draining = false;
  let cutFor: string | undefined;
  let closedByPeer = false;
  const progress = watchSendProgress(
    socket,
    options.reportSendProgress ? CLIENT_POLL_MS : SERVER_POLL_MS,
    (waiting) => {
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'wire.progress' });
      options.onSendProgress?.(waiting);
      guard?.progressed();
      if (draining && waiting === 0) {
        draining = false;
        guard?.stop();
        tellLife({ type: 'sends.acknowledged' });
      }
    },
  );
  const guard =
    options.limits &&
    guardSlot(socket, options.limits, progress, (code, reason) => {
      log.warn(`cut ${peerName(socket)}: ${reason}`, { connection: id, event: 'cut', code });
      if (draining) cutFor ??= code;
      socketFailed(code);
      resetSocket(socket);
    });
  let resolveFinished: (outcome: Promise<SessionOutcome>) => void = () => undefined;
  const finished = new Promise<SessionOutcome>((resolve) => (resolveFinished = resolve));
  const settle = () => {
    const outcome = outcomeOf(actor);
    actor.stop();
    const told =
      draining && (cutFor !== undefined || !closedByPeer)
        ? notTaken(outcome, cutFor ?? 'closed', socket.bytesWritten - progress.acknowledged())
        : outcome;
    resolveFinished(close(outcome, told));
  };
  // The connection's life (socket-life.ts): its commands are carried out here, and its end settles the connection.
  const startLife = () =>
    startSocketLife(
      { lingerMs, localWorkMs },
      {
        carryOut: (command) => {
          switch (command.type) {
            case 'life.full':
              actor.send({ type: 'wire.full' });
              return;
            case 'life.drained':
              actor.send({ type: 'wire.drain' });
              return;
            case 'life.end':
              return socket.writableEnded || socket.end();
            case 'life.destroy':
              return socket.destroy();
            case 'life.reset':
              resetSocket(socket);
              return;
            case 'life.broken':
              socketFailed('closed');
              return;
          }
        },
        finished: settle,
        // Only a bug could get here (a socket call that threw): drop the connection rather than leave it open forever.
        failed: (error) => {
          log.error(`connection failed: ${error instanceof Error ? error.message : String(error)}`, { connection: id });
          resetSocket(socket);
          settle();
        },
      },
    );
  // It starts with the first event the loop has for it (until then it would only sit in `flowing`): an idle
  // connection holds none of it.
  let life: ((event: SocketLifeEvent) => void) | undefined;
  const tellLife = (event: SocketLifeEvent) => (life ??= startLife())(event);
  /** Whether the last snapshot could take input; delivery is re-run only when this changes, not on every chunk. */
  let couldRead = false;

  const updateFlow = () => {
    const wanted =
      (pump.wantsInput() && pump.buffered < maxBufferedBytes && !socket.writableNeedDrain) ||
      actor.getSnapshot().status !== 'active';
    // Paused, a socket with `data` events reads on up to its high-water mark, so it still sees the peer's
    // FIN while the machine works; one that reads into lent memory stops at once: it reads on as far. Not
    // while the machine waits for its disk (a flow-control state): that read would be a whole lent buffer
    // the decoder then has to copy, each time the disk is busy; the peer's bytes wait in the kernel instead.
    // Asked only when the machine wants nothing: a chunk delivered in a reading state pays nothing for it.
    const reading =
      wanted ||
      (options.reads !== undefined &&
        pump.buffered < socket.readableHighWaterMark &&
        !actor.getSnapshot().hasTag(FLOW_CONTROL_TAG));
    if (reading && socket.isPaused()) socket.resume();
    else if (!reading && !socket.isPaused()) socket.pause();
  };
  const deliver = () => {
    pump.run();
    updateFlow();
  };

  const carryOut = (command: WireCommand) => {
    if (socket.destroyed) return;
    switch (command.type) {
      case 'wire.write':
        // A peer that reset before this write would get none of it: the machine hears so instead (a queue
        // message goes back), and the trace records it as the error it is.
        if (command.ifConnected && peerReset(socket)) {
          socketFailed(NOT_CONNECTED);
          resetSocket(socket);
          return;
        }
        record?.out(command.bytes);
        // Nagle's algorithm off from the first write on (one system call, then a flag net checks): replies go out
        // at once. Not at connect: a connection that never writes (a queue send) pays nothing, and Nagle holds
        // nothing back before a first write anyway.
        socket.setNoDelay(true);
        // A write that wants to hear when it has left paces itself (a file source): it needs no `wire.full`.
        if (command.written) socket.write(command.bytes, command.written);
        else if (!socket.write(command.bytes)) tellLife({ type: 'writes.full' });
        return;
      case 'wire.flush':
        // Nothing queued: all has left for the kernel already, and an empty write would be a system call for nothing.
        if (socket.writableLength === 0 && !socket.writableEnded)
          process.nextTick(() => socket.destroyed || actor.send({ type: 'wire.flushed' }));
        else
          socket.write(EMPTY, (error) => {
            if (!error) actor.send({ type: 'wire.flushed' });
          });
        return;
      case 'wire.end':
        socket.end();
        return;
      case 'wire.reset':
        resetSocket(socket);
        return;
    }
  };
  onWireCommands(observers, carryOut);

  observers.observe({
    next: (snapshot) => {
      if (snapshot.status === 'active') guard?.bulk(snapshot.hasTag(BULK_TAG));
      else if (
        snapshot.status === 'done' &&
        snapshot.output.ok &&
        guard &&
        socket.bytesWritten > progress.acknowledged()
      ) {
        draining = true;
        guard.draining();
      } else guard?.stop();
      if (snapshot.status === 'done') tellLife({ type: 'session.over', draining });
      // A state that reads again (after an async check, after disk_busy) may have frames waiting: deliver
      // them outside this callback, where the snapshot is current. Socket events already deliver everything else.
      const canRead = snapshot.status === 'active' && snapshot.hasTag(READING_TAG);
      if (canRead !== couldRead || snapshot.status !== 'active') queueMicrotask(deliver);
      couldRead = canRead;
    },
    error: (error) => {
      log.error(`machine failed: ${error instanceof Error ? error.message : String(error)}`, { connection: id });
      tellLife({ type: 'session.failed' });
    },
  });

  const received: ChunkReader = (chunk, lent) => {
    if (actor.getSnapshot().status !== 'active') return;
    record?.in(chunk);
    guard?.received(actor.getSnapshot().hasTag(BULK_TAG));
    if (lent) pump.lend(chunk);
    else pump.push(chunk);
    updateFlow();
  };
  if (options.reads) options.reads.take(received);
  else socket.on('data', (chunk: Buffer) => received(chunk, false));
  socket.on('end', () => {
    // libuv takes a reset that arrives behind data for a clean end (a hang-up after a short read), so a peer
    // that broke off would look like one that finished: the kernel tells which it was (peer-reset.ts), but
    // only while our side is open (an upload's receiver): after both FINs the socket is closed either way.
    if (!socket.writableEnded && peerReset(socket)) {
      socketFailed('ECONNRESET');
      return;
    }
    record?.end();
    pump.end();
  });
  socket.on('drain', () => {
    tellLife({ type: 'writes.drained' });
    deliver();
  });
  socket.on('error', (error) => {
    log.debug(`socket error ${errorCode(error)}`, { connection: id });
    socketFailed(errorCode(error));
  });
  socket.on('close', (hadError) => {
    closedByPeer = hadError || socket.readableEnded;
    guard?.stop();
    progress.stop();
    tellLife({
      type: 'socket.closed',
      hadError,
      peerEnded: socket.readableEnded,
      ownSideFinished: socket.writableFinished,
    });
  });

  actor.start();
  deliver();
  return { actor, finished };
}

/**
 * The end a finished machine's connection had when the server closed it before the peer took all it sent, with the
 * bytes it took (those still unacknowledged were the last ones the machine counted): timed out when it took none
 * for the idle timeout, as the connection's idle watchdog ends a machine, else interrupted, `why` (the guard's limit, or
 * `closed`: the server stopped).
 */
function notTaken(outcome: SessionOutcome, why: string, unacknowledged: number): SessionOutcome {
  const ended = why === 'idle' ? PEER_IDLE : interruptedBy(why);
  return { ...outcome, ...ended, ok: false, bytes: Math.max(0, outcome.bytes - unacknowledged) };
}
