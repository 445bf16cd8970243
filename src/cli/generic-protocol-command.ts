/**
 * `wirestate NAME server` and `wirestate NAME client LINE...` for a protocol
 * with no command of its own, built from its descriptor alone: the server
 * starts its default servers with the shared flags, the client (when the
 * protocol has a line client) sends the line and prints the reply.
 */
import type { Argv } from 'yargs';
import { EXIT } from '../engine/exit-codes';
import { reported, type ClientReport } from './json-result';
import type { ProtocolDescriptor } from '../../machines/protocol-descriptor';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { exitWith, protocolRoles } from './protocol-command';
import { serveDefaults, withDefaultServerOptions } from './serve-defaults';
import { runTextClient, withTextClientOptions } from './text-client-run';

export function genericProtocolCommand(protocol: ProtocolDescriptor) {
  const serverBuilder = (yargs: Argv) => withDefaultServerOptions(yargs, () => [protocol], 'Folder served');
  const runServer = async (args: Awaited<ReturnType<typeof serverBuilder>['argv']>) => {
    const log = loggerFrom(args);
    await serveDefaults(args, log, [protocol]);
    log.info('Server is running', { event: 'running', protocol: protocol.name });
  };
  const clientBuilder = (yargs: Argv) =>
    withTextClientOptions(yargs, protocol.servers[0].port).positional('line', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'The line to send',
    });
  type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;
  const runClient = async (args: ClientArgs, report: ClientReport): Promise<number> => {
    const { lineClient } = protocol;
    if (!lineClient) return EXIT.usage;
    const { code, reply } = await runTextClient(
      protocol.name,
      lineClient([args.line.join(' ')], args['idle-timeout'] * 1000),
      args,
      report,
      protocol.exitCodes,
    );
    if (reply) report.print(reply);
    return code;
  };
  return protocolRoles((roles) => {
    const withServer = roles.command(
      'server',
      `Serve ${protocol.name} on its default port${protocol.servers.length > 1 ? 's' : ''}`,
      valuesRequired(serverBuilder),
      runServer,
    );
    return protocol.lineClient
      ? withServer.command(
          'client <line..>',
          'Send a line and print the reply',
          valuesRequired(clientBuilder),
          exitWith(
            reported(
              protocol.name,
              (args: ClientArgs) => ({ operation: 'send', name: args.line.join(' ') }),
              runClient,
            ),
          ),
        )
      : withServer;
  });
}
