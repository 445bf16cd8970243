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

/** Which way `--corrupt-after` flips a byte: `up` from the client to the server, `down` back. */
export type CorruptDirection = 'up' | 'down' | 'both';
import { peerName } from '../loop/peer-name';

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

/** Sets the flip's generator apart from the cuts' (any constant that is not 0). */
const FLIP_SALT = 0x5bd1e995;

export function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { log } = options;
  let next = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const number = ++next;
    const id = `p${number}`;
    const peer = peerName(client);
    const upstream = connect({ ...options.upstream, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    const record = options.recordDir
      ? TraceWriter.openOrWarn(options.recordDir, { protocol: 'tcp', role: 'proxy', connection: id, peer }, log)
      : undefined;
    log.info(`relaying ${peer} to ${options.upstream.host}:${options.upstream.port}`, { connection: id });

    // From a generator of its own, so that the same seed cuts the same way with or without a flip.
    const flipFor = (direction: 'c>s' | 's>c', seed: number) => {
      const { corrupt } = options;
      if (!corrupt || corrupt.direction === (direction === 'c>s' ? 'down' : 'up')) return undefined;
      const mask = 1 + Math.floor(seededRandom(seed ^ FLIP_SALT)() * 255);
      log.info(`${direction}: byte ${corrupt.after} to be XORed with 0x${mask.toString(16).padStart(2, '0')}`, {
        connection: id,
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
          ? (bytes: number, delay: number) => log.debug(`${direction} ${bytes} B after ${delay} ms`, { connection: id })
          : undefined,
        alter: flipFor(direction, seed),
      };
    };
    stammer(client, upstream, pipe('c>s', 0, record && ((chunk) => record.in(chunk))));
    stammer(upstream, client, pipe('s>c', 1, record && ((chunk) => record.out(chunk))));

    let closed = 0;
    const onClose = () => {
      if (++closed < 2) return;
      const bytes = client.bytesRead + upstream.bytesRead;
      log.info(`closed after ${bytes} B relayed`, { connection: id });
      void record?.finish({ ok: true, outcome: 'relayed', code: 'ok', bytes });
    };
    upstream.on('error', (error) => log.warn(`upstream: ${error.message}`, { connection: id }));
    client.on('error', (error) => log.debug(`client: ${error.message}`, { connection: id }));
    upstream.on('close', onClose);
    client.on('close', onClose);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      log.info(
        `stammer proxy on ${address.address}:${address.port} -> ${options.upstream.host}:${options.upstream.port}, ` +
          `fragments up to ${options.maxFragment} B, delays up to ${options.maxDelayMs} ms, seed ${options.seed}`,
      );
      resolve({
        address,
        close: () =>
          new Promise<void>((done) => {
            // A stop mid-stream is a broken relay, not a finished one: an end would tell a server that a
            // protocol without a size (share put, queue send) got all of it.
            for (const socket of sockets) socket.resetAndDestroy();
            server.close(() => done());
          }),
      });
    });
  });
}
