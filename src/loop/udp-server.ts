/**
 * The datagram side of the loop: one UDP socket, one actor per peer address
 * and port, created on the peer's first datagram and retired once it has been
 * quiet for `idleMs`, or sooner when a new peer needs its place. Knows nothing
 * about any protocol.
 */
import { hostPort } from './peer-name';
import { createSocket, type RemoteInfo } from 'node:dgram';
import type { AnyActorRef } from 'xstate';
import type { SessionOutcome, StreamProtocol } from '../engine/protocol';
import type { ConnectionMeta } from '../inspect/inspector-hub';
import type { Logger } from '../log/logger';
import { TraceWriter } from '../trace/trace-writer';
import type { ListeningServer } from './listening-server';
import { runDatagramPeer, type RunningPeer } from './datagram-peer';
import { nextConnectionId } from './connection-ids';
import type { LoopOptions } from './loop-options';
import { OpenSet } from './open-set';
import { FloodLog } from './flood-log';

export interface UdpServerOptions {
  host: string;
  port: number;
  protocol: StreamProtocol;
  log: Logger;
  /** A peer quiet for this long is retired (its machine gets `socket.end`). */
  idleMs: number;
  watch?: (connection: ConnectionMeta, actor: AnyActorRef) => void;
  recordDir?: string;
  /** Peers served at once; a new peer past this retires the least recently heard one, idle ones first. */
  maxPeers?: number;
  /** Peers from one address (any port) at once; a new one past this retires that address's least recently heard peer, idle ones first. */
  maxPeersPerAddress?: number;
  /** The loop's buffer and wait limits (default: DEFAULT_LOOP_OPTIONS). */
  loop?: LoopOptions;
}

interface Peer {
  address: string;
  running: RunningPeer;
}

export function startUdpServer(options: UdpServerOptions): Promise<ListeningServer> {
  const { protocol, log } = options;
  const socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
  /** Live peers by `address:port` as printed (`[::1]:40118`), least recently heard first. */
  const peers = new Map<string, Peer>();
  /** Every peer not yet finished, retired ones included: shutdown waits for them all. */
  const running = new OpenSet<RunningPeer>();
  const listeners: ((id: string, outcome: SessionOutcome) => void)[] = [];
  /** Retirements, summed per newcomer's address: a flood from many source ports writes one line, not one each. */
  const retirements = new FloodLog(
    log,
    'retired',
    (count, address, seconds) =>
      `retired ${count} more peer(s) to make room for peers from ${address} in the last ${seconds} s`,
  );
  let closing = false;
  let socketClosed: Promise<void> | undefined;

  /** The peer to retire for a newcomer (of `address`, if given): the least recently heard idle one, else the least recently heard. */
  const victimFor = (address?: string): string | undefined => {
    let busy: string | undefined;
    for (const [key, peer] of peers) {
      if (address !== undefined && peer.address !== address) continue;
      if (peer.running.idle()) return key;
      busy ??= key;
    }
    return busy;
  };
  const fromAddress = (address: string) => [...peers.values()].filter((peer) => peer.address === address).length;
  /**
   * Makes room for a new peer when the table, or `address`'s share of it, is full: retires an idle peer, or
   * when every one is mid-request (a stream may run for hours) cuts the least recently heard one.
   */
  const makeRoom = (address: string, key: string): void => {
    const mine = fromAddress(address);
    const addressFull = mine >= (options.maxPeersPerAddress ?? Infinity);
    if (!addressFull && peers.size < (options.maxPeers ?? Infinity)) return;
    const victim = victimFor(addressFull ? address : undefined);
    const evicted = victim === undefined ? undefined : peers.get(victim)?.running;
    if (victim === undefined || !evicted) return;
    const limit = addressFull
      ? `${mine} peers from ${address}, the most --max-peers-per-address allows`
      : `${peers.size} peers served, the most --max-connections allows`;
    retirements.happened(
      address,
      `${evicted.idle() ? 'retired idle' : 'cut busy'} peer ${victim} to make room for ${key}: ${limit}`,
      { peer: victim, newcomer: key },
    );
    peers.delete(victim);
    evicted.retire();
    evicted.fail('evicted');
  };

  const open = (from: RemoteInfo): RunningPeer | undefined => {
    const key = hostPort(from.address, from.port);
    const known = peers.get(key);
    if (known) {
      // Moved to the end: the map stays ordered from least to most recently heard.
      peers.delete(key);
      peers.set(key, known);
      return known.running;
    }
    if (closing) return undefined;
    makeRoom(from.address, key);
    const id = nextConnectionId('u');
    // Every line about this peer carries these fields (the JSON log prints them).
    const peerLog = log.child({ connection: id, protocol: protocol.name, peer: key });
    peerLog.info(`datagram from new peer ${key}`);
    const spec = protocol.accept(id, from.address);
    const record = options.recordDir
      ? TraceWriter.openOrWarn(
          options.recordDir,
          {
            protocol: protocol.name,
            role: 'server',
            connection: id,
            peer: key,
            transport: 'udp',
            input: spec.input,
          },
          peerLog,
        )
      : undefined;
    const { watch: watchConnection } = options;
    const watch =
      watchConnection &&
      ((actor: AnyActorRef) => watchConnection({ id, peer: key, protocol: protocol.name, role: 'server' }, actor));
    const peer = runDatagramPeer(spec, {
      id,
      log: peerLog,
      record,
      watch,
      idleMs: options.idleMs,
      loop: options.loop,
      send: (bytes, done) => socket.send(bytes, from.port, from.address, done),
    });
    peers.set(key, { address: from.address, running: peer });
    running.add(peer);
    void peer.finished.then((outcome) => {
      if (peers.get(key)?.running === peer) peers.delete(key);
      running.delete(peer);
      for (const listener of listeners) listener(id, outcome);
    });
    return peer;
  };

  socket.on('message', (datagram, from) => {
    const peer = open(from);
    if (peer && !peer.receive(datagram))
      log.warn(`dropped a datagram from ${hostPort(from.address, from.port)}: too many waiting`);
  });

  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      socket.on('error', (error) => log.error(`UDP socket error: ${error.message}`));
      const address = socket.address();
      resolve({
        address,
        get open() {
          return running.size;
        },
        onFinished: (listener) => listeners.push(listener),
        whenIdle: () => running.whenEmpty(),
        close: async (graceMs = 0) => {
          closing = true;
          // Between datagrams a peer has nothing in flight: it ends at once. One mid-request gets the grace, then is aborted.
          for (const peer of running) peer.retire();
          const abortAll = () => {
            for (const peer of running) peer.fail('closed');
          };
          if (running.size > 0 && graceMs > 0) setTimeout(abortAll, graceMs).unref();
          else abortAll();
          await running.whenEmpty();
          retirements.flush();
          // A second close (a second signal) waits for the same one: closing a closed socket throws.
          socketClosed ??= new Promise<void>((closed) => socket.close(() => closed()));
          await socketClosed;
        },
      });
    });
  });
}
