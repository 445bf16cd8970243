/**
 * Starts protocols' servers on their default ports and transports, in one
 * process, one loop, one log and one inspector, the file-serving ones sharing
 * one folder: `serve-all` does it for every registered protocol, the generic
 * `wirestate NAME server` for one.
 */
import type { Argv } from 'yargs';
import type { DefaultServer, ProtocolDescriptor, ServingTimes } from '../../machines/protocol-descriptor';
import { DEFAULT_QUIET_MS } from '../engine/text-request';
import type { Logger } from '../log/logger';
import { openServedFolder } from './served-folder';
import { upkeepServedFolder } from './folder-upkeep';
import { isPort } from './host-port';
import { givenOnce } from './repeatable-option';
import { serve, withServerOptions } from './serve';
import { readOnly } from '../storage/read-only-files';
import { withUploadOptions } from './upload-safety';

/**
 * The shared server flags, `--root` and `--port-offset`, the offset checked against every default port of the
 * protocols `offsetOf` names for the line given: those it will move (serve-all: the ones served on no port of their own).
 */
export function withDefaultServerOptions<T>(
  yargs: Argv<T>,
  offsetOf: (args: Record<string, unknown>) => readonly ProtocolDescriptor[],
  rootDescription: string,
) {
  return withUploadOptions(withServerOptions(yargs))
    .option('root', { type: 'string', default: './files', describe: `${rootDescription}; created if absent` })
    .option('port-offset', {
      // Typed as a string, as ports are (server-port-argument.ts): yargs's number type took `0x10` for 16, `1e3` for 1000.
      type: 'string',
      number: true,
      default: 0,
      describe: 'Added to every default port (to run beside servers already on them)',
      coerce: givenOnce('port-offset', (value: string | undefined): number => {
        const word = String(value);
        if (!/^-?\d+$/.test(word)) throw new Error(`--port-offset must be a whole number, not "${word}"`);
        return Number(word);
      }),
    } as const)
    .check((args) => {
      const offset = args['port-offset'];
      const moved = offsetOf(args).flatMap((protocol) =>
        protocol.servers.map((server) => ({ name: protocol.name, port: server.port + offset })),
      );
      const outside = moved.find(({ port }) => !isPort(port));
      if (outside)
        throw new Error(
          `--port-offset ${offset} takes the ${outside.name} server to ${outside.port}, outside 0..65535`,
        );
      return true;
    });
}

export type DefaultServerArgs = Awaited<ReturnType<typeof withDefaultServerOptions>['argv']>;

/** Where one of a protocol's default servers listens. */
export type PortOf = (protocol: ProtocolDescriptor, server: DefaultServer) => number;

/**
 * Serves every server of `protocols` until a signal, each on `portOf` (default: its port plus `--port-offset`);
 * returns the folder served, if one of them serves `--root`. `resumeKeepSeconds`: how long a transfer server
 * among them keeps an interrupted upload (`--resume-keep`; none: it offers no resume).
 */
export async function serveDefaults(
  args: DefaultServerArgs,
  log: Logger,
  protocols: readonly ProtocolDescriptor[],
  portOf: PortOf = (_protocol, server) => server.port + args['port-offset'],
  resumeKeepSeconds?: number,
): Promise<string | undefined> {
  const times: ServingTimes = { idleTimeoutMs: args['idle-timeout'] * 1000, quietMs: DEFAULT_QUIET_MS };
  let world: ReturnType<typeof servingWorld> | undefined;
  const listeners = [];
  for (const protocol of protocols)
    for (const server of protocol.servers)
      listeners.push({
        transport: server.transport,
        port: portOf(protocol, server),
        protocol: server.servesFolder
          ? server.protocol(await (world ??= servingWorld(args, log, times, resumeKeepSeconds)))
          : server.protocol(times),
      });
  await serve(args, log, listeners);
  return (await world)?.files.root;
}

/** `times` and `--root`, opened (made if absent), read-only with `--read-only`, its upkeep begun (folder-upkeep.ts). */
async function servingWorld(args: DefaultServerArgs, log: Logger, times: ServingTimes, resumeKeepSeconds?: number) {
  const folder = await openServedFolder(args.root);
  await upkeepServedFolder(folder, log, resumeKeepSeconds);
  return {
    ...times,
    files: args['read-only'] ? readOnly(folder) : folder,
    maxUploadSize: args['max-size'],
    resumeKeepSeconds: resumeKeepSeconds ?? 0,
  };
}
