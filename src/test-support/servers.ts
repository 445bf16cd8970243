/** An in-process transfer server on loopback over a temp folder, with its outcomes recorded. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { transferServer } from '../../machines/transfer';
import type { SessionOutcome } from '../engine/protocol';
import { startTcpServer, type TcpServer } from '../loop/tcp-server';
import { FolderFiles } from '../storage/folder-files';
import { capturingLogger } from './logs';

export interface TestServer {
  server: TcpServer;
  files: FolderFiles;
  port: number;
  /** Folder holding the root and anything else a test needs. */
  base: string;
  /** Resolves with the outcome of the next connection to close. */
  nextOutcome(): Promise<SessionOutcome>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  maxUploadSize?: number;
  maxConnections?: number;
  /** Receives the server's log lines (`level connection message`); silent otherwise. */
  lines?: string[];
  /** Called with each log line as it is written (needs `lines`). */
  onLine?: (line: string) => void;
  /** The extensions it offers a hello (default: all wirestate implements). */
  capabilities?: number;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const base = await mkdtemp(join(tmpdir(), 'wirestate-e2e-'));
  const files = await FolderFiles.open(join(base, 'root'));
  const log = options.lines
    ? capturingLogger(options.lines, options.onLine)
    : winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
  const server = await startTcpServer({
    host: '127.0.0.1',
    port: 0,
    protocol: transferServer(files, {
      maxUploadSize: options.maxUploadSize ?? Number.MAX_SAFE_INTEGER,
      capabilities: options.capabilities,
    }),
    log,
    maxConnections: options.maxConnections,
  });
  const waiting: ((outcome: SessionOutcome) => void)[] = [];
  const done: SessionOutcome[] = [];
  server.onFinished((_id, outcome) => {
    const waiter = waiting.shift();
    if (waiter) waiter(outcome);
    else done.push(outcome);
  });
  return {
    server,
    files,
    port: server.address.port,
    base,
    nextOutcome: () => new Promise((resolve) => (done.length > 0 ? resolve(done.shift()!) : waiting.push(resolve))),
    stop: async () => {
      await server.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}
