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

export interface TcpServerOptions {
  host: string;
  port: number;
  protocol: StreamProtocol;
  log: Logger;
  /** Called with each connection's actor before it starts (--inspect). */
  watch?: (connection: ConnectionMeta, actor: AnyActorRef) => void;
  /** Folder to write one trace file per connection into. */
  recordDir?: string;
}

export interface TcpServer {
  address: AddressInfo;
  /** Connections open right now. */
  readonly open: number;
  /** Settles with each connection's outcome as it closes; for tests and tools. */
  onFinished(listener: (id: string, outcome: SessionOutcome) => void): void;
  /** Stops accepting and waits for open connections to close. */
  close(): Promise<void>;
}

export function startTcpServer(options: TcpServerOptions): Promise<TcpServer> {
  const { protocol, log } = options;
  const sockets = new Set<Socket>();
  const listeners: ((id: string, outcome: SessionOutcome) => void)[] = [];
  let next = 0;

  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    const id = `c${++next}`;
    sockets.add(socket);
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    log.info(`connected from ${peer}`, { connection: id });
    const spec = protocol.accept(id);
    const record = options.recordDir
      ? TraceWriter.open(options.recordDir, { protocol: protocol.name, role: 'server', connection: id, peer, input: spec.input })
      : undefined;
    const watch = options.watch && ((actor: AnyActorRef) => options.watch!({ id, peer, protocol: protocol.name, role: 'server' }, actor));
    const { finished } = runConnection(socket, spec, { id, log, watch, record });
    void finished.then((outcome) => {
      sockets.delete(socket);
      for (const listener of listeners) listener(id, outcome);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', (error) => log.error(`listener error: ${error.message}`));
      const address = server.address() as AddressInfo;
      log.info(`${protocol.name} server listening on ${address.address}:${address.port}`);
      resolve({
        address,
        get open() {
          return sockets.size;
        },
        onFinished: (listener) => listeners.push(listener),
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
