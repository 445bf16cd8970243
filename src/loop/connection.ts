/**
 * Runs one connection: a socket on one side, a protocol's actor on the other.
 * Socket readiness becomes events (frames, `wire.*`, `socket.*`); the actor's
 * emitted wire commands become writes, flushes, FIN or RST. The socket is read
 * only while the actor's state has the `reading` tag and its writes do not
 * back up (a peer that never reads cannot make the server queue without end),
 * and each connection is held to a request deadline and a minimum bulk rate.
 * A client's machine also hears when the peer acknowledges its bytes.
 */
import type { Socket } from 'node:net';
import type { AnyActorRef } from 'xstate';
import { errorCode } from '../engine/errors';
import { BULK_TAG, READING_TAG, type ConnectionSpec, type SessionOutcome, type WireCommand } from '../engine/protocol';
import { openSession, outcomeOf, type SessionOptions } from './session';
import { watchSendProgress } from './send-progress';
import { guardSlot, type SlotLimits } from './slot-guard';

/** Frames a machine is not reading yet may queue up to this many bytes before the socket pauses. */
const MAX_BUFFERED = 256 * 1024;
/** How long a finished connection waits for the peer to close before it is dropped. */
const LINGER_MS = 5_000;
/** How long a machine may go on with local work (a commit) once both sides of its socket have closed cleanly. */
const LOCAL_WORK_MS = 30_000;
const EMPTY = Buffer.alloc(0);

export interface ConnectionOptions extends Omit<SessionOptions, 'held'> {
  /** A server's limits on how long a connection may hold its slot (clients have none). */
  limits?: SlotLimits;
  /** A client's: tell the machine (`wire.progress`) each time the peer acknowledges more of what it sent, so a slow link draining its last megabytes is not taken for an idle one. */
  reportSendProgress?: boolean;
}

export interface RunningConnection {
  actor: AnyActorRef;
  /** Settles when the socket has closed, with how the machine ended. */
  finished: Promise<SessionOutcome>;
}

export function runConnection(socket: Socket, spec: ConnectionSpec, options: ConnectionOptions): RunningConnection {
  const { id, log, record } = options;
  // Past the socket's high-water mark, no more frames reach the machine until the peer has read: replies never pile up.
  const { actor, pump, close } = openSession(spec, { ...options, held: () => socket.writableNeedDrain });
  const guard =
    options.limits &&
    guardSlot(socket, options.limits, (code, reason) => {
      log.warn(`cut ${socket.remoteAddress}:${socket.remotePort}: ${reason}`, { connection: id });
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'socket.error', code });
      socket.resetAndDestroy();
    });
  actor.on('session.request', () => guard?.requested());
  const stopProgress = options.reportSendProgress
    ? watchSendProgress(socket, () => actor.getSnapshot().status === 'active' && actor.send({ type: 'wire.progress' }))
    : undefined;
  let writeBlocked = false;
  let linger: NodeJS.Timeout | undefined;
  let peerEnded = false;
  /** Whether the last snapshot could take input; delivery is re-run only when this changes, not on every chunk. */
  let couldRead = false;

  const updateFlow = () => {
    const wanted = (pump.wantsInput() && pump.buffered < MAX_BUFFERED && !socket.writableNeedDrain) || actor.getSnapshot().status !== 'active';
    if (wanted && socket.isPaused()) socket.resume();
    else if (!wanted && !socket.isPaused()) socket.pause();
  };
  const deliver = () => {
    pump.run();
    updateFlow();
  };

  const carryOut = (command: WireCommand) => {
    if (socket.destroyed) return;
    switch (command.type) {
      case 'wire.write':
        record?.out(command.bytes);
        if (!socket.write(command.bytes) && !writeBlocked) {
          writeBlocked = true;
          actor.send({ type: 'wire.full' });
        }
        return;
      case 'wire.flush':
        socket.write(EMPTY, (error) => error || actor.send({ type: 'wire.flushed' }));
        return;
      case 'wire.end':
        socket.end();
        return;
      case 'wire.reset':
        socket.resetAndDestroy();
        return;
    }
  };
  for (const type of ['wire.write', 'wire.flush', 'wire.end', 'wire.reset'] as const) actor.on(type, carryOut);

  const finished = new Promise<SessionOutcome>((resolve) => {
    const closeWhenBothEnded = () => {
      if (actor.getSnapshot().status !== 'active' && peerEnded && socket.writableFinished) socket.destroy();
    };

    actor.subscribe({
      next: (snapshot) => {
        if (snapshot.status === 'done' && !linger) {
          if (!socket.writableEnded) socket.end();
          linger = setTimeout(() => socket.destroy(), LINGER_MS).unref();
          closeWhenBothEnded();
        }
        if (snapshot.status === 'active') guard?.bulk(snapshot.hasTag(BULK_TAG));
        else guard?.stop();
        // A state that reads again (after an async check, after disk_busy) may have frames waiting: deliver
        // them outside this callback, where the snapshot is current. Socket events already deliver everything else.
        const canRead = snapshot.status === 'active' && snapshot.hasTag(READING_TAG);
        if (canRead !== couldRead || snapshot.status !== 'active') queueMicrotask(deliver);
        couldRead = canRead;
      },
      error: (error) => {
        log.error(`machine failed: ${error instanceof Error ? error.message : String(error)}`, { connection: id });
        socket.resetAndDestroy();
      },
    });

    socket.on('data', (chunk: Buffer) => {
      if (actor.getSnapshot().status !== 'active') return;
      record?.in(chunk);
      guard?.received(actor.getSnapshot().hasTag(BULK_TAG));
      pump.push(chunk);
      updateFlow();
    });
    socket.on('end', () => {
      peerEnded = true;
      record?.end();
      pump.end();
      closeWhenBothEnded();
    });
    socket.on('finish', closeWhenBothEnded);
    socket.on('drain', () => {
      if (writeBlocked) {
        writeBlocked = false;
        actor.send({ type: 'wire.drain' });
      }
      deliver();
    });
    socket.on('error', (error) => {
      log.debug(`socket error ${errorCode(error)}`, { connection: id });
      record?.error(errorCode(error));
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'socket.error', code: errorCode(error) });
    });
    socket.on('close', (hadError) => {
      clearTimeout(linger);
      guard?.stop();
      stopProgress?.();
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        const outcome = outcomeOf(actor);
        actor.stop();
        resolve(close(outcome));
      };
      if (actor.getSnapshot().status !== 'active') return settle();
      const broken = () => {
        if (actor.getSnapshot().status === 'active') actor.send({ type: 'socket.error', code: 'closed' });
        settle();
      };
      // Both sides ended cleanly while the machine still works on its own (committing a received file, say): the
      // socket is no longer needed, so let it finish, up to LOCAL_WORK_MS. Any other close breaks the session,
      // our own reset too (a server aborting its connections): our side never finished then.
      if (hadError || !peerEnded || !socket.writableFinished) return broken();
      const giveUp = setTimeout(broken, LOCAL_WORK_MS);
      const done = () => {
        clearTimeout(giveUp);
        settle();
      };
      actor.subscribe({ next: (snapshot) => snapshot.status === 'active' || done(), error: done });
    });
  });

  actor.start();
  deliver();
  return { actor, finished };
}
