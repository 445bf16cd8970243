/** `--inspect [PORT]` and `--inspect-stately`: watch every connection's machine live (README: "Inspector"). */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { SessionActor } from '../engine/session-actor';
import type { Argv } from 'yargs';
import { InspectorHub, type ConnectionMeta } from '../inspect/inspector-hub';
import { DEFAULT_INSPECT_PORT, startInspectServer, type InspectServer } from '../inspect/inspect-server';
import { MAX_QUEUED_MESSAGES, linkToStately, type StatelyLink } from '../inspect/stately-link';
import { errorCode } from '../storage/errors';
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';
import { errnoWords } from './errno-words';
import { isPort } from './host-port';
import { TRACE_SUPPORT } from '../../machines/protocols';

export function withInspectOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('inspect', {
      type: 'string',
      describe: `Serve the live inspector on http://127.0.0.1:PORT (PORT defaults to ${DEFAULT_INSPECT_PORT}; 0 picks a free one)`,
      coerce: inspectPort,
    })
    .option('inspect-stately', {
      type: 'boolean',
      default: false,
      describe: "Also send the inspection stream to Stately's hosted inspector (needs internet)",
    });
}

/** `--inspect`'s optional PORT. A word after it is taken as its value, so say how to write the default port before other words. */
function inspectPort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') return DEFAULT_INSPECT_PORT;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!isPort(port))
    throw new Error(
      `--inspect takes a port 0..65535, not "${value}" (for the default port, put --inspect after the other words or write --inspect=${DEFAULT_INSPECT_PORT})`,
    );
  return port;
}

export interface Inspection {
  watch: (connection: ConnectionMeta, actor: SessionActor) => void;
  server?: InspectServer;
  /** Closes the page's server and the link to Stately, so the process can exit. */
  close(): Promise<void>;
}

/** Starts what the flags ask for; undefined when inspection is off, so no inspection work happens. */
/** Where inspection says what it is doing: a server's log, or a client's stderr (its log is quiet). */
export interface InspectionNotes {
  info(line: string): unknown;
  warn(line: string): unknown;
}

/** A client's notes: straight to stderr, whatever its log level. */
export const toStderr: InspectionNotes = {
  info: (line) => process.stderr.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

export async function startInspection(
  args: { inspect?: number; 'inspect-stately': boolean },
  log: InspectionNotes,
): Promise<Inspection | undefined> {
  if (args.inspect === undefined && !args['inspect-stately']) return undefined;
  const hub = new InspectorHub();
  const stately = args['inspect-stately'] ? startStatelyLink(log) : undefined;
  if (stately)
    hub.subscribe((message) => message.type.startsWith('@xstate.') && stately.send(message as StatelyInspectionEvent));
  const server = args.inspect === undefined ? undefined : await listenForInspector(hub, args.inspect);
  if (server) log.info(`inspector on ${server.url}`);
  return {
    watch: (connection, actor) => hub.watch(connection, actor),
    server,
    close: async () => {
      stately?.close();
      await server?.close();
    },
  };
}

async function listenForInspector(hub: InspectorHub, port: number): Promise<InspectServer> {
  try {
    return await startInspectServer(hub, port, TRACE_SUPPORT);
  } catch (error) {
    throw new CommandError(
      `cannot serve the inspector on 127.0.0.1:${port}: ${errnoWords(errorCode(error))}; --inspect PORT picks another, --inspect 0 a free one`,
      EXIT.cannotListen,
    );
  }
}

function startStatelyLink(log: InspectionNotes): StatelyLink {
  let warned = false;
  log.info("sending the inspection stream to Stately's inspector; the link to open is printed once connected");
  const link = linkToStately({
    onOpen: (url) => log.info(`Stately's inspector: open ${url}`),
    onError: (message) => {
      if (!warned)
        log.warn(
          `cannot reach Stately's inspector (${message || 'no connection'}); going on without it, keeping at most ${MAX_QUEUED_MESSAGES} messages for it`,
        );
      warned = true;
    },
  });
  return {
    ...link,
    close: () => {
      const { queued, dropped } = link.unsent();
      if (queued + dropped > 0)
        log.warn(
          `${queued + dropped} inspection messages never reached Stately's inspector${dropped ? ` (${dropped} dropped once ${queued} were waiting)` : ''}`,
        );
      link.close();
    },
  };
}
