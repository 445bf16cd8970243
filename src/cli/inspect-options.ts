/** `--inspect [PORT]` and `--inspect-stately`: watch every connection's machine live (README: "Inspector"). */
import type { AnyActorRef } from 'xstate';
import type { Argv } from 'yargs';
import { InspectorHub, type ConnectionMeta } from '../inspect/inspector-hub';
import { DEFAULT_INSPECT_PORT, startInspectServer, type InspectServer } from '../inspect/inspect-server';
import type { Logger } from '../log/logger';
import { isPort } from './host-port';
import { TRACE_PROTOCOLS } from './trace-protocols';

export function withInspectOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('inspect', {
      type: 'string',
      describe: `Serve the live inspector on http://127.0.0.1:PORT (PORT defaults to ${DEFAULT_INSPECT_PORT}; 0 picks a free one)`,
      coerce: (value: string | undefined) => (value === undefined ? undefined : value === '' ? DEFAULT_INSPECT_PORT : Number(value)),
    })
    .option('inspect-stately', { type: 'boolean', default: false, describe: "Also send the inspection stream to Stately's hosted inspector (needs internet)" })
    .check((args) => {
      const port = args.inspect as number | undefined;
      if (port !== undefined && !isPort(port)) throw new Error(`--inspect takes a port 0..65535, got ${String(args.inspect)}`);
      return true;
    });
}

export interface Inspection {
  watch: (connection: ConnectionMeta, actor: AnyActorRef) => void;
  server?: InspectServer;
}

/** Starts what the flags ask for; undefined when inspection is off, so no inspection work happens. */
export async function startInspection(args: { inspect?: number; 'inspect-stately': boolean }, log: Logger): Promise<Inspection | undefined> {
  if (args.inspect === undefined && !args['inspect-stately']) return undefined;
  let warned = false;
  const hub = await InspectorHub.create({
    stately: args['inspect-stately'],
    onStatelyError: (message) => {
      if (!warned) log.warn(`cannot reach Stately's inspector (${message || 'no connection'}); transfers go on without it`);
      warned = true;
    },
  });
  const definitions = Object.fromEntries(Object.entries(TRACE_PROTOCOLS).map(([name, support]) => [name, support.machines]));
  const server = args.inspect === undefined ? undefined : await startInspectServer(hub, args.inspect, definitions);
  if (server) log.info(`inspector on ${server.url}`);
  if (args['inspect-stately']) log.info("sending the inspection stream to Stately's inspector; the link to open is printed once connected");
  return { watch: (connection, actor) => hub.watch(connection, actor), server };
}
