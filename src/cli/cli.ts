/** The `wirestate` command line over a list of protocols: one subcommand per role and per protocol. */
import yargs, { type Argv } from 'yargs';
import type { ProtocolDescriptor } from '../engine/protocol-descriptor';
import { EXIT } from '../engine/exit-codes';
import { clientCommand } from './client-command';
import { protocolCommands, type Command } from './protocol-commands';
import { proxyCommand } from './proxy-command';
import { replayCommand } from './replay-command';
import { serveAllCommand } from './serve-all-command';
import { serverCommand } from './server-command';

/** Parses `argv` and runs the command it names, in the order `--help` lists them. */
export function runCli(protocols: readonly ProtocolDescriptor[], argv: string[]): Promise<unknown> {
  const commands: Command[] = [serverCommand, clientCommand, ...protocolCommands(protocols), serveAllCommand, proxyCommand, replayCommand];
  const cli = commands.reduce<Argv>((parser, command) => command(parser) as Argv, yargs(argv).scriptName('wirestate'));
  return cli
    .demandCommand(1, 'name a command: server or client')
    .strict()
    .help('help')
    .alias('help', ['h', '?', 'usage'])
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error, parser) => {
      if (error && !message) throw error;
      const oneLine = String(message ?? error?.message).replace(/\s*\n\s*/g, ' ');
      process.stderr.write(`wirestate: ${oneLine}\n\n`);
      parser.showHelp((text) => process.stderr.write(`${text}\n`));
      process.exit(EXIT.usage);
    })
    .parseAsync();
}
