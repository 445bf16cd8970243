/**
 * The stammering proxy: accepts TCP connections and relays each to an
 * upstream server, cutting both directions into random fragments with random
 * delays (stammer-pipe.ts). Framing bugs that one-read-one-frame code hides
 * show up through it. Protocol-agnostic: it never looks at the bytes.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from '../log/logger';
import { TraceWriter } from '../trace/trace-writer';
import { seededRandom } from '../engine/seeded-random';
import { stammer } from './stammer-pipe';
import { byteFlipper } from './byte-flip';
import { RelayWatch, type RelayEnding } from './relay-ending';
import { socketErrorCode } from '../engine/outcome';
import { errorWords } from '../log/errno-words';

/** Which way `--corrupt-after` flips a byte: `up` from the client to the server, `down` back. */
export type CorruptDirection = 'up' | 'down' | 'both';
import { hostPort, peerName } from '../loop/peer-name';

export interface ProxyOptions {
  host: string;
  port: number;
  upstream: { host: string; port: number };
  maxFragment: number;
  maxDelayMs: number;
  seed: number;
  log: Logger;
  /** Folder for one trace per relayed connection: `in` from the client, `out` from the server. */
  recordDir?: string;
  /** Flip the byte after the first `after` of each chosen direction of every connection. */
  corrupt?: { after: number; direction: CorruptDirection };
}

export interface RunningProxy {
  address: AddressInfo;
  /** Stops listening and resets both sides of every open connection. */
  close(): Promise<void>;
}

/** The close line's words: `closed after 11 B relayed`, or how it ended otherwise. */
const closedWords = ({ outcome, code }: RelayEnding, bytes: number) =>
  outcome === 'relayed' ? `closed after ${bytes} B relayed` : `closed, ${outcome} (${code}), after ${bytes} B relayed`;

/** Sets the flip's generator apart from the cuts' (any constant that is not 0). */
const FLIP_SALT = 0x5bd1e995;

export function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { log } = options;
  let next = 0;
  const sockets = new Set<Socket>();

  const target = hostPort(options.upstream.host, options.upstream.port);
  const watches = new Set<RelayWatch>();

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const number = ++next;
    const id = `p${number}`;
    const peer = peerName(client);
    const started = performance.now();
    const relayLog = log.child({ connection: id, peer, target });
    const watch = new RelayWatch();
    watches.add(watch);
    const upstream = connect({ ...options.upstream, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    const record = options.recordDir
      ? TraceWriter.openOrWarn(options.recordDir, { protocol: 'tcp', role: 'proxy', connection: id, peer }, log)
      : undefined;
    relayLog.info(`relaying ${peer} to ${target}`, { event: 'open' });

    // From a generator of its own, so that the same seed cuts the same way with or without a flip.
    const flipFor = (direction: 'c>s' | 's>c', seed: number) => {
      const { corrupt } = options;
      if (!corrupt || corrupt.direction === (direction === 'c>s' ? 'down' : 'up')) return undefined;
      const mask = 1 + Math.floor(seededRandom(seed ^ FLIP_SALT)() * 255);
      relayLog.info(`${direction}: byte ${corrupt.after} to be XORed with 0x${mask.toString(16).padStart(2, '0')}`, {
        event: 'corrupt',
        direction: direction === 'c>s' ? 'up' : 'down',
        byte: corrupt.after,
        mask,
      });
      return byteFlipper({ after: corrupt.after, mask });
    };
    const pipe = (direction: 'c>s' | 's>c', salt: number, onChunk?: (chunk: Buffer) => void) => {
      const seed = options.seed * 1000003 + number * 2 + salt;
      return {
        maxFragment: options.maxFragment,
        maxDelayMs: options.maxDelayMs,
        random: seededRandom(seed),
        onChunk,
        onFragment: log.isDebugEnabled()
          ? (bytes: number, delay: number) =>
              relayLog.debug(`${direction} ${bytes} B after ${delay} ms`, {
                event: 'fragment',
                direction: direction === 'c>s' ? 'up' : 'down',
                bytes,
                delay_ms: delay,
              })
          : undefined,
        alter: flipFor(direction, seed),
        onReset: () => watch.reset(direction === 'c>s' ? 'client' : 'upstream'),
      };
    };
    stammer(client, upstream, pipe('c>s', 0, record && ((chunk) => record.in(chunk))));
    stammer(upstream, client, pipe('s>c', 1, record && ((chunk) => record.out(chunk))));

    let connected = false;
    upstream.once('connect', () => (connected = true));
    let closed = 0;
    const onClose = () => {
      if (++closed < 2) return;
      watches.delete(watch);
      const ending = watch.ending();
      const bytes = client.bytesRead + upstream.bytesRead;
      const ms = performance.now() - started;
      relayLog.log(ending.ok ? 'info' : 'warn', closedWords(ending, bytes), {
        event: 'close',
        outcome: ending.outcome,
        code: ending.code,
        bytes_up: client.bytesRead,
        bytes_down: upstream.bytesRead,
        duration_ms: Math.round(ms * 1000) / 1000,
      });
      void record?.finish({ ...ending, bytes });
    };
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const errno = error.code ?? 'socket.error';
      watch.upstreamFailed(errno, connected);
      // Unreachable (the server down) is an error; a reset once relaying, a warning as before.
      const words = errorWords(error);
      relayLog.log(
        connected ? 'warn' : 'error',
        connected ? `upstream ${target}: ${words}` : `cannot reach ${target}: ${words}`,
        {
          event: 'error',
          code: socketErrorCode(errno),
          errno,
        },
      );
    });
    client.on('error', (error: NodeJS.ErrnoException) =>
      relayLog.debug(`client: ${errorWords(error)}`, {
        event: 'error',
        errno: error.code,
      }),
    );
    upstream.on('close', onClose);
    client.on('close', onClose);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      log.info(
        `stammer proxy on ${hostPort(address.address, address.port)} -> ${target}, ` +
          `fragments up to ${options.maxFragment} B, delays up to ${options.maxDelayMs} ms, seed ${options.seed}`,
        {
          event: 'start',
          listen: hostPort(address.address, address.port),
          target,
          max_fragment: options.maxFragment,
          max_delay_ms: options.maxDelayMs,
          seed: options.seed,
          ...(options.corrupt && {
            corrupt_after: options.corrupt.after,
            corrupt_direction: options.corrupt.direction,
          }),
        },
      );
      resolve({
        address,
        close: () =>
          new Promise<void>((done) => {
            // A stop mid-stream is a broken relay, not a finished one: an end would tell a server that a
            // protocol without a size (share put, queue send) got all of it.
            for (const watch of watches) watch.proxyStopping();
            for (const socket of sockets) socket.resetAndDestroy();
            server.close(() => done());
          }),
      });
    });
  });
}
