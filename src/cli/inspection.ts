/** The inspector behind `--inspect` and `--inspect-stately`, loaded only when one of them is given. */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { SessionActor } from '../engine/session-actor';
import { type ConnectionMeta, InspectorHub } from '../inspect/inspector-hub';
import { startInspectServer, type InspectServer } from '../inspect/inspect-server';
import { MAX_QUEUED_MESSAGES, linkToStately, type StatelyLink } from '../inspect/stately-link';
import { errorCode } from '../storage/errors';
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';
import { errnoWords } from '../log/errno-words';
import { loadTraceSupport } from '../../machines/protocols';

export interface Inspection {
  watch: (connection: ConnectionMeta, actor: SessionActor, request?: string) => void;
  server?: InspectServer;
  /** Closes the page's server and the link to Stately, so the process can exit. */
  close(): Promise<void>;
}

/** Where inspection says what it is doing: a server's log, or a client's stderr (its log is quiet). */
export interface InspectionNotes {
  info(line: string): unknown;
  warn(line: string): unknown;
}

/** Inspection as the flags ask for it (at least one of them is on). */
export async function inspect(
  args: { inspect?: number; 'inspect-stately': boolean },
  log: InspectionNotes,
): Promise<Inspection> {
  const protocols = await loadTraceSupport();
  const hub = new InspectorHub(protocols);
  const stately = args['inspect-stately'] ? startStatelyLink(log) : undefined;
  if (stately)
    hub.subscribe((message) => message.type.startsWith('@xstate.') && stately.send(message as StatelyInspectionEvent));
  const server = args.inspect === undefined ? undefined : await listenForInspector(hub, args.inspect);
  if (server) log.info(`inspector on ${server.url}`);
  return {
    watch: (connection, actor, request) => hub.watch(connection, actor, request),
    server,
    close: async () => {
      stately?.close();
      await server?.close();
    },
  };
}

async function listenForInspector(hub: InspectorHub, port: number): Promise<InspectServer> {
  try {
    return await startInspectServer(hub, port);
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
