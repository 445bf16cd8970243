/** `wirestate serve-all`: every registered protocol's servers (or those `--only`/`--except` name) on their default ports or their own, in one process. */
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import type { CommandBody } from './command-body';
import { loadProtocols } from '../../machines/protocols';
import type { ProtocolDescriptor } from '../../machines/protocol-descriptor';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { isPort } from './host-port';
import { listenPortArgument } from './server-port-argument';
import { serveDefaults, withDefaultServerOptions, type PortOf } from './serve-defaults';
import { warnIfOpenToUploads } from './upload-safety';
import { resumeKeepOf, withResumeKeepOption } from './folder-upkeep';
import { HIGHEST, LOWEST } from '../../machines/sum/codec';

/** The protocols whose servers store what clients send into the served folder. */
const UPLOAD_PROTOCOLS = ['transfer', 'share'];

const portOption = (protocol: ProtocolDescriptor) => `${protocol.name}-port`;

/** Whether the transfer server is among `protocols`: `--resume-keep` is its alone. */
const servesTransfer = (protocols: readonly ProtocolDescriptor[]) =>
  protocols.some((protocol) => protocol.name === 'transfer');

/** `wirestate serve-all`: it needs every protocol, so it loads them all. */
export async function serveAllCommand(): Promise<CommandBody> {
  const everyProtocol = await loadProtocols();
  const names = everyProtocol.map((protocol) => protocol.name);
  /** `--NAME-port` for each protocol: its first server there, the others moved by as much (0: each on a port the OS picks). */
  const withPortOptions = (yargs: Argv) =>
    everyProtocol.reduce(
      (parser, protocol) =>
        parser.option(portOption(protocol), {
          ...listenPortArgument(
            portOption(protocol),
            `--${portOption(protocol)}`,
            `Port of the ${protocol.name} server${protocol.servers.length > 1 ? `s (${protocol.servers.map((server) => server.port).join(', ')}: the others move with the first; 0: each a free one)` : ''}`,
          ),
          defaultDescription: `${protocol.servers[0].port} + --port-offset`,
        }),
      yargs,
    );

  /** The protocols `--only` names, or all but those `--except` names. */
  const servedOf = (args: { only?: string[]; except?: string[] }) =>
    everyProtocol.filter((protocol) =>
      args.only ? args.only.includes(protocol.name) : !args.except?.includes(protocol.name),
    );

  const builder = (yargs: Argv) =>
    withDefaultServerOptions(
      withResumeKeepOption(withPortOptions(yargs)),
      (args) => servedOf(args).filter((protocol) => args[portOption(protocol)] === undefined),
      'Folder served by transfer, blocks, share and ardei advanced',
    )
      .option('only', {
        type: 'string',
        array: true,
        choices: names,
        coerce: commaSeparated,
        describe: 'Serve only these protocols (repeated or with commas: --only transfer,share)',
      })
      .option('except', {
        type: 'string',
        array: true,
        choices: names,
        coerce: commaSeparated,
        describe: 'Serve every protocol but these',
      })
      .conflicts('only', 'except')
      .check((args) => {
        const served = servedOf(args);
        if (served.length === 0) throw new Error('--except names every protocol: nothing left to serve');
        if (args['resume-keep'] !== undefined && !servesTransfer(served))
          throw new Error(
            `--resume-keep is for the transfer server, which ${args.only ? '--only' : '--except'} leaves out`,
          );
        for (const protocol of everyProtocol) {
          const port = (args as Record<string, unknown>)[portOption(protocol)] as number | undefined;
          if (port !== undefined && !served.includes(protocol))
            throw new Error(
              `--${portOption(protocol)} is for the ${protocol.name} server, which ${args.only ? '--only' : '--except'} leaves out`,
            );
          if (port === undefined || port === 0) continue;
          const last = port + Math.max(...protocol.servers.map((server) => server.port - protocol.servers[0].port));
          if (!isPort(last))
            throw new Error(
              `--${portOption(protocol)} must be 0..65535 with room for its other servers (up to ${last})`,
            );
        }
        return true;
      })
      .epilog(
        examples(
          ['$0 serve-all --inspect', 'every seed at once, watched in one inspector on http://127.0.0.1:50080/'],
          ['$0 serve-all --only transfer share --transfer-port 6001', 'two of them, the transfer server on 6001'],
        ),
      );

  type Args = Awaited<ReturnType<typeof builder>['argv']>;

  async function handler(args: Args): Promise<void> {
    const log = loggerFrom(args);
    const protocols = servedOf(args);
    const portOf: PortOf = (protocol, server) => {
      const chosen = (args as Record<string, unknown>)[portOption(protocol)] as number | undefined;
      if (chosen === undefined) return server.port + args['port-offset'];
      return chosen === 0 ? 0 : chosen + server.port - protocol.servers[0].port;
    };
    const root = await serveDefaults(
      args,
      log,
      protocols,
      portOf,
      servesTransfer(protocols) ? resumeKeepOf(args) : undefined,
    );
    const sumRuns = protocols.some((protocol) => protocol.name === 'sum');
    const notes = [
      ...(root === undefined ? [] : [`serving ${root}`]),
      ...(sumRuns
        ? [`a sum client sending a number outside ${LOWEST}..${HIGHEST} stops the sum server, the others go on`]
        : []),
    ];
    if (notes.length > 0)
      log.info(notes.join('; '), {
        event: 'serving',
        ...(root !== undefined && { root }),
        ...(sumRuns && { sum_stops_on_outside: `${LOWEST}..${HIGHEST}` }),
      });
    // Once listening: a --root or a port that stops the start is the one line said.
    const storing = protocols.filter((protocol) => UPLOAD_PROTOCOLS.includes(protocol.name));
    if (storing.length > 0)
      warnIfOpenToUploads(
        log,
        args,
        `the ${storing.map((protocol) => protocol.name).join(' and ')} server${storing.length > 1 ? 's accept' : ' accepts'}`,
      );
  }

  return { builder: valuesRequired(builder), handler };
}

/** `--only transfer,share` as `--only transfer share`: people type lists with commas. */
const commaSeparated = (values: string[]): string[] => values.flatMap((value) => value.split(','));
