/**
 * The datagram side of the loop: one UDP socket, one actor per peer address,
 * created on the peer's first datagram and retired once it has been quiet for
 * `idleMs`. Knows nothing about any protocol.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { AnyActorRef } from 'xstate';
import type { SessionOutcome, StreamProtocol } from '../engine/protocol';
import type { ConnectionMeta } from '../inspect/inspector-hub';
import type { Logger } from '../log/logger';
import { TraceWriter } from '../trace/trace-writer';
import type { ListeningServer } from './listening-server';
import { runDatagramPeer, type RunningPeer } from './datagram-peer';
import { nextConnectionId } from './connection-ids';

export interface UdpServerOptions {
  host: string;
  port: number;
  protocol: StreamProtocol;
  log: Logger;
  /** A peer quiet for this long is retired (its machine gets `socket.end`). */
  idleMs: number;
  watch?: (connection: ConnectionMeta, actor: AnyActorRef) => void;
  recordDir?: string;
  /** Peers served at once; datagrams from more are dropped and logged. */
  maxPeers?: number;
}

export function startUdpServer(options: UdpServerOptions): Promise<ListeningServer> {
  const { protocol, log } = options;
  const socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
  const peers = new Map<string, RunningPeer>();
  const listeners: ((id: string, outcome: SessionOutcome) => void)[] = [];
  let closing = false;
  let socketClosed: Promise<void> | undefined;

  const open = (from: RemoteInfo): RunningPeer | undefined => {
    const key = `${from.address}:${from.port}`;
    const known = peers.get(key);
    if (known || closing) return known;
    const id = nextConnectionId('u');
    if (peers.size >= (options.maxPeers ?? Infinity)) {
      log.warn(`dropped a datagram from ${key}: ${peers.size} peers served, the most --max-connections allows`, { connection: id });
      return undefined;
    }
    log.info(`datagram from new peer ${key}`, { connection: id });
    const spec = protocol.accept(id);
    const record = options.recordDir
      ? TraceWriter.open(options.recordDir, { protocol: protocol.name, role: 'server', connection: id, peer: key, transport: 'udp', input: spec.input })
      : undefined;
    const watch = options.watch && ((actor: AnyActorRef) => options.watch!({ id, peer: key, protocol: protocol.name, role: 'server' }, actor));
    const peer = runDatagramPeer(spec, {
      id,
      log,
      record,
      watch,
      idleMs: options.idleMs,
      send: (bytes, done) => socket.send(bytes, from.port, from.address, done),
    });
    peers.set(key, peer);
    void peer.finished.then((outcome) => {
      peers.delete(key);
      for (const listener of listeners) listener(id, outcome);
    });
    return peer;
  };

  socket.on('message', (datagram, from) => {
    const peer = open(from);
    if (peer && !peer.receive(datagram)) log.warn(`dropped a datagram from ${from.address}:${from.port}: too many waiting`);
  });

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      socket.on('error', (error) => log.error(`UDP socket error: ${error.message}`));
      const address = socket.address() as AddressInfo;
      log.info(`${protocol.name} server listening on ${address.address}:${address.port} (UDP)`);
      const whenIdle = () =>
        new Promise<void>((idle) => {
          if (peers.size === 0) return idle();
          listeners.push(() => peers.size === 0 && idle());
        });
      resolve({
        address,
        get open() {
          return peers.size;
        },
        onFinished: (listener) => listeners.push(listener),
        whenIdle,
        close: async (graceMs = 0) => {
          closing = true;
          // Between datagrams a peer has nothing in flight: it ends at once. One mid-request gets the grace, then is aborted.
          peers.forEach((peer) => peer.retire());
          const abortAll = () => peers.forEach((peer) => peer.fail('closed'));
          if (peers.size > 0 && graceMs > 0) setTimeout(abortAll, graceMs).unref();
          else abortAll();
          await whenIdle();
          // A second close (a second signal) waits for the same one: closing a closed socket throws.
          socketClosed ??= new Promise<void>((closed) => socket.close(() => closed()));
          await socketClosed;
        },
      });
    });
  });
}
