/** The `wirestate` command line over a list of protocols: one subcommand per role and per protocol. */
import yargs, { type Argv } from 'yargs';
import type { ProtocolDescriptor } from '../../machines/protocol-descriptor';
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';
import { clientCommand } from './client-command';
import { protocolCommands, type Command } from './protocol-commands';
import { proxyCommand } from './proxy-command';
import { replayCommand } from './replay-command';
import { serveAllCommand } from './serve-all-command';
import { serverCommand } from './server-command';

/** Parses `argv` and runs the command it names, in the order `--help` lists them. */
export function runCli(protocols: readonly ProtocolDescriptor[], argv: string[]): Promise<unknown> {
  const commands: Command[] = [
    serverCommand,
    clientCommand,
    ...protocolCommands(protocols),
    serveAllCommand,
    proxyCommand,
    replayCommand,
  ];
  const cli = commands.reduce<Argv>((parser, command) => command(parser), yargs(argv).scriptName('wirestate'));
  return (
    cli
      .demandCommand(1, 'name a command (wirestate --help lists them)')
      .completion('completion', 'Print a bash or zsh completion script (wirestate completion >> ~/.bashrc)')
      .check(refuseNotANumber as unknown as Parameters<Argv['check']>[0])
      .strict()
      .help('help')
      .alias('help', ['h', '?', 'usage'])
      .version()
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .updateStrings({ 'Not enough arguments following: %s': '%s needs a value' })
      // One line and where to look, not the whole usage: the error is what the person needs to see.
      // yargs passes a null message with a thrown error (its types say string).
      .fail((message: string | null, error: Error | undefined) => {
        if (error && !message && !(error instanceof CommandError)) throw error;
        const oneLine = String(message ?? error?.message)
          .replace(/\s*\n\s*/g, ' ')
          .replace(
            /^([\w-]+) needs a value$/,
            (_, key: string) => `${key.length === 1 ? '-' : '--'}${key} needs a value`,
          );
        process.stderr.write(`wirestate: ${oneLine}; see --help\n`);
        process.exit(error instanceof CommandError ? error.exitCode : EXIT.usage);
      })
      .parseAsync()
  );
}

/**
 * yargs reads `--idle-timeout abc` as NaN, and each check would then say something beside the point.
 * Registered before any command's checks, so it runs first; a check gets the parser's options second
 * (yargs's types call them aliases).
 */
function refuseNotANumber(args: Record<string, unknown>, options: { number: string[] }): true {
  for (const key of options.number) {
    if (Number.isNaN(args[key])) throw new Error(`--${key} takes a number`);
  }
  return true;
}
