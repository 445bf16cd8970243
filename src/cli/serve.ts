/**
 * Runs protocol servers from the command line, the same way for every
 * protocol: the shared server flags, one log, one inspector, and shutdown on
 * SIGINT/SIGTERM (a grace period for sessions in flight, then abort; a second
 * signal stops at once) or when a session asks its server to stop (the
 * process ends with its last server).
 */
import type { Argv } from 'yargs';
import type { StreamProtocol } from '../engine/protocol';
import type { Logger } from '../log/logger';
import type { ListeningServer } from '../loop/listening-server';
import { DEFAULT_LOOP_OPTIONS, type LoopOptions } from '../loop/loop-options';
import type { SlotLimits } from '../loop/slot-guard';
import { startTcpServer } from '../loop/tcp-server';
import { startUdpServer } from '../loop/udp-server';
import { withIdleTimeout, withLogOptions, withRecordOption } from './common-options';
import { startInspection, withInspectOptions } from './inspect-options';
import type { Inspection, InspectionNotes } from './inspection';
import { cannotListen, cannotListenFields, cannotListenExit } from './cannot-listen';
import { hostPort } from '../loop/peer-name';

/** Flags every protocol's server takes, meaning the same everywhere. */
export function withServerOptions<T>(yargs: Argv<T>) {
  return withIdleTimeout(withInspectOptions(withRecordOption(withLogOptions(yargs, 'stdout'))))
    .option('host', {
      type: 'string',
      default: '0.0.0.0',
      describe: 'Address to bind (127.0.0.1 for this machine only)',
    })
    .option('max-connections', {
      type: 'number',
      default: 256,
      describe:
        'Connections (UDP: peers) at once; more are refused at once and logged (UDP: the least recently heard peer, an idle one first, is retired instead)',
    })
    .option('max-per-address', {
      type: 'number',
      default: 32,
      describe: 'TCP connections at once from one IP address; more are refused at once and logged',
    })
    .option('request-timeout', {
      type: 'number',
      default: 10,
      describe:
        'TCP: seconds a whole request may take to arrive, however often bytes come; slower ones are cut and logged',
    })
    .option('min-rate', {
      type: 'number',
      default: 1024,
      describe:
        'TCP: bytes/second a file or message transfer must average over each --rate-window; slower ones are cut and logged',
    })
    .option('rate-window', { type: 'number', default: 30, describe: 'TCP: seconds over which --min-rate is measured' })
    .option('max-peers-per-address', {
      type: 'number',
      default: 8,
      describe:
        "UDP peers (ports) at once from one IP address; a new one past this retires that address's least recently heard peer (an idle one first), logged",
    })
    .option('grace', {
      type: 'number',
      default: 10,
      describe: 'On SIGINT/SIGTERM, seconds sessions in flight may take to finish',
    })
    .check((args) => {
      if (!(args['max-connections'] >= 1)) throw new Error('--max-connections must be at least 1');
      if (!(args['max-per-address'] >= 1)) throw new Error('--max-per-address must be at least 1');
      if (!(args['request-timeout'] > 0)) throw new Error('--request-timeout must be more than 0 seconds');
      if (!(args['min-rate'] >= 0)) throw new Error('--min-rate must be 0 or more bytes/second');
      if (!(args['rate-window'] > 0)) throw new Error('--rate-window must be more than 0 seconds');
      if (!(Number.isInteger(args['max-peers-per-address']) && args['max-peers-per-address'] >= 1))
        throw new Error('--max-peers-per-address must be a whole number, at least 1');
      if (!(args.grace >= 0)) throw new Error('--grace must be 0 or more seconds');
      return true;
    });
}

export type ServerArgs = Awaited<ReturnType<typeof withServerOptions>['argv']>;

const slotLimits = (args: ServerArgs): SlotLimits => ({
  requestTimeoutMs: args['request-timeout'] * 1000,
  minRate: args['min-rate'],
  rateWindowMs: args['rate-window'] * 1000,
  idleTimeoutMs: args['idle-timeout'] * 1000,
});

export interface Listener {
  transport: 'tcp' | 'udp';
  port: number;
  protocol: StreamProtocol;
}

/** The servers `serve` started, and how to stop them all for a fault. */
export interface Serving {
  servers: ListeningServer[];
  /**
   * Stops for a fault that leaves the process unable to serve (a store that broke): `message` logged as an error,
   * new connections refused, those still open given FAULT_GRACE_MS to end as they will, then reset (none is told it
   * succeeded unless it did), and the process exits with `exitCode`.
   */
  fail(message: string, fields: Record<string, unknown>, exitCode: number): void;
}

/**
 * What the connections still open when a fault stops the process (`Serving.fail`) get to finish: those that can,
 * a receive whose delivery the store recorded just before it broke say, end in a step or two, and no longer than
 * this waits on those that cannot (a send the broken store will never answer).
 */
export const FAULT_GRACE_MS = 1000;

/** Starts every listener, each with the loop's limits `loop`, and keeps the process serving until a signal, a session or a fault stops it. */
export async function serve(
  args: ServerArgs,
  log: Logger,
  listeners: Listener[],
  loop: LoopOptions = DEFAULT_LOOP_OPTIONS,
): Promise<Serving> {
  const servers: ListeningServer[] = [];
  let inspection: Inspection | undefined;
  // Installed before anything starts, so a signal during start-up still ends the process cleanly.
  let stopping = false;
  let exitCode = 0;
  /** A fault (`fail`) is stopping the process: a first signal then stops it at once, and is no second one. */
  let faulted = false;
  const closeAll = (graceMs: number) => {
    stopping = true;
    // The listeners close in this same turn, and the line that says why is written later (an info line waits for
    // its batch, batched-output.ts): once it is read, new connections are already refused. What closing says
    // (`aborting N connection(s)`, at once with --grace 0) comes after it.
    const closed = Promise.all([...servers.map((server) => server.close(graceMs)), inspection?.close()]);
    void closed.then(() => process.exit(exitCode));
  };
  const stop = (reason: string) => {
    const open = servers.reduce((sum, server) => sum + server.open, 0);
    if (stopping)
      log.warn(`${reason}${faulted ? '' : ' again'}: stopping now`, { event: 'stopping', reason, grace_s: 0 });
    else
      log.info(`${reason}: no longer accepting connections; ${open} in flight get up to ${args.grace} s to finish`, {
        event: 'stopping',
        reason,
        in_flight: open,
        grace_s: args.grace,
      });
    closeAll(stopping ? 0 : args.grace * 1000);
  };
  const fail = (message: string, fields: Record<string, unknown>, code: number) => {
    log.error(message, { ...fields, exit_code: code });
    exitCode = code;
    faulted = true;
    closeAll(FAULT_GRACE_MS);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // What inspection says (`inspector on URL`) waits for the listening lines: a start that stops says one line.
  const notes = heldUntilListening(log);
  inspection = await startInspection(args, notes);
  // Said once every listener listens: a port in use stops the start with its one line, after no "listening".
  const listening: [string, Record<string, unknown>][] = [];
  for (const { transport, port, protocol } of listeners) {
    const common = { host: args.host, port, protocol, log, recordDir: args.record, watch: inspection?.watch, loop };
    try {
      const server =
        transport === 'tcp'
          ? await startTcpServer({
              ...common,
              maxConnections: args['max-connections'],
              maxPerAddress: args['max-per-address'],
              limits: slotLimits(args),
            })
          : await startUdpServer({
              ...common,
              maxPeers: args['max-connections'],
              maxPeersPerAddress: args['max-peers-per-address'],
              idleMs: args['idle-timeout'] * 1000,
            });
      // A session may stop its own server (the lab's `sum`); the process ends with the last one.
      server.onFinished((id, outcome) => {
        if (!outcome.stopServer || !servers.includes(server)) return;
        if (servers.length === 1) {
          stop(`stop asked by ${id}`);
          return;
        }
        servers.splice(servers.indexOf(server), 1);
        void server.close(args.grace * 1000).then(() =>
          log.info(`${protocol.name} server stopped, as ${id} asked; the others go on`, {
            event: 'stopped',
            protocol: protocol.name,
            connection: id,
          }),
        );
      });
      servers.push(server);
      const { address: host, port: bound } = server.address;
      listening.push([
        `${protocol.name} server listening on ${hostPort(host, bound)}${transport === 'udp' ? ' (UDP)' : ''}`,
        { event: 'listening', protocol: protocol.name, transport, host, port: bound },
      ]);
    } catch (error) {
      // A port in use, or an address not on this machine: say which, close what started, and stop.
      const where = [protocol.name, args.host, port, transport, error] as const;
      log.error(cannotListen(...where), cannotListenFields(...where));
      await Promise.all([...servers.map((server) => server.close(0)), inspection?.close()]);
      process.exit(cannotListenExit(error));
    }
  }
  for (const [line, fields] of listening) log.info(line, fields);
  notes.release();
  return { servers, fail };
}

/** `log` for inspection's notes, which it keeps until `release` (then says them, and the later ones as they come). */
function heldUntilListening(log: Logger): InspectionNotes & { release(): void } {
  let held: [keyof InspectionNotes, string][] | undefined = [];
  const say = (level: keyof InspectionNotes, line: string) => (held ? held.push([level, line]) : log[level](line));
  return {
    info: (line) => say('info', line),
    warn: (line) => say('warn', line),
    release: () => {
      const lines = held ?? [];
      held = undefined;
      for (const [level, line] of lines) log[level](line);
    },
  };
}
