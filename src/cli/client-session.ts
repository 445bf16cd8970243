/**
 * Runs one client session of any protocol from the command line: connects
 * over TCP or UDP, records a trace (`--record`) and serves the inspector
 * (`--inspect`) the same way for every protocol.
 */
import type { Socket } from 'node:net';
import type { AnyActorRef } from 'xstate';
import type { SessionActor } from '../engine/session-actor';
import { errorCode } from '../storage/errors';
import type { ConnectionSpec, SessionOutcome } from '../engine/protocol';
import type { Logger } from '../log/logger';
import { runConnection } from '../loop/connection';
import { connectTcp } from '../loop/tcp-connect';
import { LentReads } from '../loop/lent-reads';
import { errnoWords } from '../log/errno-words';
import { startInspection, toStderr } from './inspect-options';
import { keepInspector } from './kept-inspector';
import { stopOnSignal } from './stop-on-signal';
import { waitingNow } from '../loop/send-progress';
import { hostPort } from '../loop/peer-name';

export interface ClientSession {
  protocol: string;
  transport: 'tcp' | 'udp';
  host: string;
  port: number;
  spec: ConnectionSpec;
  /** What it asks the server for, as the inspector's request column says it (`download "speech.txt"`). */
  request?: string;
  /** Names its log lines, its trace file and its inspector entry: `client` unless a run has several. */
  connection?: string;
  /** Hears how many bytes sent still wait for the peer to acknowledge them (TCP; see send-progress.ts). */
  onSendProgress?: (waiting: number) => void;
  /**
   * Whether what it sends may take long to drain (an upload): then the machine hears as the peer acknowledges
   * it. Default true; false spares a session that sends a few bytes (a download) the watch on the kernel's tables.
   */
  sendsBulk?: boolean;
  /** False when the command writes the end line itself (session.ts `logsEnd`). */
  logsEnd?: boolean;
  /** Called just before connecting, once the inspector (if asked for) is up: the run's start line. */
  starting?: () => void;
  /** Called when Ctrl-C or SIGTERM stops the session, once it is stopped, before the process exits: its last line. */
  interrupted?: (signal: NodeJS.Signals) => void;
  /** Told, once the TCP connection has closed, how many bytes the server sent on it (none: it never replied). */
  heardBytes?: (bytes: number) => void;
}

export interface ClientSessionArgs {
  record?: string;
  inspect?: number;
  'inspect-stately': boolean;
}

/** Thrown when the server cannot be reached at all; `errno` says how the connection failed, when it was tried. */
export class CannotConnect extends Error {
  constructor(
    message: string,
    readonly errno?: string,
  ) {
    super(message);
  }
}

/** Runs the session to its end; `onActor` sees the actor before it starts (to read its final context). */
export async function runClientSession(
  session: ClientSession,
  args: ClientSessionArgs,
  log: Logger,
  onActor?: (actor: AnyActorRef) => void,
): Promise<SessionOutcome> {
  const {
    protocol,
    transport,
    host,
    port,
    spec,
    connection = 'client',
    request,
    onSendProgress,
    sendsBulk = true,
    logsEnd,
    starting,
    interrupted,
    heardBytes,
  } = session;
  const peer = hostPort(host, port);
  const sessionLog = log.child({ connection, protocol, peer });
  const inspection = await startInspection(args, toStderr);
  starting?.();
  let release = (): void => undefined;
  /** The TCP connection once open: a signal resets it (RST), so no server takes what it got for all there was. */
  let socket: Socket | undefined;
  /** A signal's: the bar's count as the kernel has it this moment (the last look may be 250 ms old), then the reset. */
  const abortNow = () => {
    const waiting = socket && onSendProgress && waitingNow(socket);
    if (waiting !== undefined) onSendProgress?.(waiting);
    socket?.resetAndDestroy();
  };
  const watch = (actor: SessionActor) => {
    release = stopOnSignal(actor, abortNow, interrupted);
    onActor?.(actor);
    inspection?.watch({ id: connection, peer, protocol, role: 'client' }, actor, request);
  };
  // The trace writer and the UDP loop are loaded only by the sessions that use them: a plain run starts sooner.
  const record = async () =>
    args.record
      ? (await import('../trace/trace-writer')).TraceWriter.open(
          args.record,
          { protocol, role: 'client', connection, peer, transport, input: spec.input },
          (line) => toStderr.warn(line),
        )
      : undefined;
  try {
    if (transport === 'udp') {
      const { runUdpClient } = await import('../loop/udp-connect');
      return await runUdpClient(host, port, spec, { log: sessionLog, watch, record: await record() }).catch(
        (error: unknown) => {
          throw new CannotConnect(`cannot reach ${peer}: ${errnoWords(errorCode(error))}`);
        },
      );
    }
    const reads = new LentReads();
    socket = await connectTcp(host, port, reads).catch((error: unknown) => {
      throw new CannotConnect(`cannot connect to ${peer}: ${errnoWords(errorCode(error))}`, errorCode(error));
    });
    const outcome = await runConnection(socket, spec, {
      id: connection,
      log: sessionLog,
      watch,
      record: await record(),
      reportSendProgress: sendsBulk,
      logsEnd,
      onSendProgress,
      reads,
    }).finished;
    heardBytes?.(socket.bytesRead);
    return outcome;
  } finally {
    release();
    // The page stays up after the session, so it can still be looked at, once the command has said how it went.
    if (inspection?.server) keepInspector({ url: inspection.server.url, close: () => inspection.close() });
    else await inspection?.close();
  }
}
