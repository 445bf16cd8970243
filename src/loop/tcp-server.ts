/**
 * The listening side of the loop: accepts TCP connections and runs each one
 * as its own actor of the given protocol. Knows nothing about any protocol.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { AnyActorRef } from 'xstate';
import type { ConnectionMeta } from '../inspect/inspector-hub';
import type { SessionOutcome, StreamProtocol } from '../engine/protocol';
import type { Logger } from '../log/logger';
import { TraceWriter } from '../trace/trace-writer';
import { runConnection } from './connection';
import type { ListeningServer } from './listening-server';
import { nextConnectionId } from './connection-ids';
import type { LoopOptions } from './loop-options';
import { OpenSet } from './open-set';
import { FloodLog } from './flood-log';
import { DEFAULT_SLOT_LIMITS, type SlotLimits } from './slot-guard';
import { GONE_PEER, peerName } from './peer-name';
import { resetSocket } from './reset-socket';
import { lendReads } from './lent-server-socket';

export interface TcpServerOptions {
  host: string;
  port: number;
  protocol: StreamProtocol;
  log: Logger;
  /** Called with each connection's actor before it starts (--inspect). */
  watch?: (connection: ConnectionMeta, actor: AnyActorRef) => void;
  /** Folder to write one trace file per connection into. */
  recordDir?: string;
  /** Connections beyond this many are closed at once (default: no limit). */
  maxConnections?: number;
  /** Connections from one IP address beyond this many are closed at once (default: no limit). */
  maxPerAddress?: number;
  /** The request deadline and minimum bulk rate every connection is held to. */
  limits?: SlotLimits;
  /** The loop's buffer and wait limits (default: DEFAULT_LOOP_OPTIONS). */
  loop?: LoopOptions;
}

/** A listening TCP server. */
export type TcpServer = ListeningServer;

/** `1 connection open`, `3 connections open`. */
const connectionsOpen = (count: number) => `${count} connection${count === 1 ? '' : 's'} open`;

export function startTcpServer(options: TcpServerOptions): Promise<TcpServer> {
  const { protocol, log } = options;
  const sockets = new OpenSet<Socket>();
  /** Open connections per remote address, so that one address cannot take every slot. */
  const perAddress = new Map<string, number>();
  const listeners: ((id: string, outcome: SessionOutcome) => void)[] = [];
  const refusals = new FloodLog(
    log,
    'refused',
    (count, address, seconds) => `refused ${count} more connection(s) from ${address} in the last ${seconds} s`,
  );

  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    const id = nextConnectionId('c');
    const peer = peerName(socket);
    // Every line about this connection carries these fields (the JSON log prints them), a refusal's too.
    const about = { connection: id, protocol: protocol.name, peer };
    const connectionLog = log.child(about);
    const address = socket.remoteAddress ?? GONE_PEER;
    if (sockets.size >= (options.maxConnections ?? Infinity)) {
      refusals.happened(
        address,
        `refused ${peer}: ${connectionsOpen(sockets.size)}, the most --max-connections allows`,
        about,
      );
      socket.resetAndDestroy();
      return;
    }
    const fromAddress = perAddress.get(address) ?? 0;
    if (fromAddress >= (options.maxPerAddress ?? Infinity)) {
      refusals.happened(
        address,
        `refused ${peer}: ${connectionsOpen(fromAddress)} from ${address}, the most --max-per-address allows`,
        about,
      );
      socket.resetAndDestroy();
      return;
    }
    perAddress.set(address, fromAddress + 1);
    const reads = lendReads(socket);
    sockets.add(socket);
    connectionLog.info(`connected from ${peer}`, { event: 'connected' });
    const spec = protocol.accept(id);
    const record = options.recordDir
      ? TraceWriter.openOrWarn(
          options.recordDir,
          {
            protocol: protocol.name,
            role: 'server',
            connection: id,
            peer,
            input: spec.input,
          },
          connectionLog,
        )
      : undefined;
    const { watch: watchConnection } = options;
    const watch =
      watchConnection &&
      ((actor: AnyActorRef) => watchConnection({ id, peer, protocol: protocol.name, role: 'server' }, actor));
    const { finished } = runConnection(socket, spec, {
      id,
      log: connectionLog,
      watch,
      record,
      limits: options.limits ?? DEFAULT_SLOT_LIMITS,
      loop: options.loop,
      reads,
    });
    void finished.then((outcome) => {
      sockets.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
      for (const listener of listeners) listener(id, outcome);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', (error) => log.error(`listener error: ${error.message}`));
      const address = server.address() as AddressInfo;
      const running: TcpServer = {
        address,
        get open() {
          return sockets.size;
        },
        onFinished: (listener) => listeners.push(listener),
        whenIdle: () => sockets.whenEmpty(),
        close: (graceMs = 0) => {
          const listenerClosed = new Promise<void>((done) => server.close(() => done()));
          refusals.flush();
          const abort = () => {
            if (sockets.size > 0) log.warn(`aborting ${sockets.size} connection(s) still open`);
            for (const socket of sockets) resetSocket(socket);
          };
          if (sockets.size > 0 && graceMs > 0) setTimeout(abort, graceMs).unref();
          else abort();
          // net.Server reports closed before its sockets emit 'close'; wait for each connection's own clean-up too.
          return Promise.all([listenerClosed, running.whenIdle()]).then(() => undefined);
        },
      };
      resolve(running);
    });
  });
}
