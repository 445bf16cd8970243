/**
 * The `wirestate` command line over a list of protocols: one subcommand per role and per protocol.
 * Only the command the line names is loaded (its module, its protocol's machines); the others are
 * listed by name and one line, which is all `--help` and completion show of them.
 */
import { basename } from 'node:path';
import yargs, { type Argv } from 'yargs';
import type { ProtocolEntry } from '../../machines/protocols';
import { EXIT } from '../engine/exit-codes';
import { CommandError } from './command-error';
import { TRANSFER_ROLES, addCommand, type CommandEntry } from './command-body';
import { protocolCommand } from './protocol-commands';
import { helpWidth } from './help-width';
import { withoutHelpCache } from './no-help-cache';
import { examples } from './help-examples';
import { writeFailure } from './failure-line';
import { refuseBlankNames } from './blank-names';
import { withLogFormat } from './common-options';
import { refuseBlankValues } from './blank-values';
import { refuseStrayBrackets, unbracketHost } from './bracketed-host';
import { refuseTooLongTimes } from './timer-values';
import { refuseFractionalCounts } from './whole-values';
import { commandFirst, misplacedFlag, strayFlag, wordAfterEarlyEnd } from './leading-options';
import { refuseEmptyInspectPort } from './empty-inspect-port';
import { inspectWordFailure, refuseInspectTakingAnArgument } from './inspect-word';
import { REPEATABLE_OPTIONS } from './repeatable-option';
import { inUserWords, typedAsFlag } from './usage-words';
import { fixedCompletions, offeredFlag, SHELLS } from './fixed-completions';
import { dashedWord } from './dash-values';
import { refuseWordsAfterEnd } from './words-after-options';
import { refuseBooleanValues } from './boolean-values';

/** Every command in the order `--help` lists them. */
const commandEntries = (protocols: readonly ProtocolEntry[]): CommandEntry[] => [
  { usage: 'server', describe: TRANSFER_ROLES.server, load: async () => (await import('./server-command')).serverBody },
  { usage: 'client', describe: TRANSFER_ROLES.client, load: async () => (await import('./client-command')).clientBody },
  ...protocols.map((protocol) => ({
    usage: protocol.name,
    describe: protocol.summary,
    load: () => protocolCommand(protocol),
  })),
  {
    usage: 'serve-all',
    describe: "Every protocol's servers in one process (or --only some, each port movable)",
    load: async () => (await import('./serve-all-command')).serveAllCommand(),
  },
  {
    usage: 'proxy',
    describe: 'Relay to a server in random fragments and delays: the stammering proxy',
    load: async () => (await import('./proxy-command')).proxyBody,
  },
  {
    usage: 'replay <file>',
    describe: 'Print a recorded trace as a timeline; --check re-runs it against the machine',
    load: async () => (await import('./replay-command')).replayBody,
  },
];

/** The command the line names: its first word, flags coming after it (commandFirst). */
const namedCommand = (argv: string[]): string | undefined => (argv[0]?.startsWith('-') ? undefined : argv[0]);

/** Whether a command entry is the one `word` names. */
const names = (word: string | undefined) => (entry: CommandEntry) => entry.usage.split(' ')[0] === word;

/**
 * Completion (`--get-yargs-completions WORDS...`) parses its words twice, the first time with the flag taking the
 * word after it as its value, so it needs every command's flags at hand: it loads them all, as a TAB press may.
 */
const completing = (argv: string[]): boolean => argv.includes('--get-yargs-completions');

/** The name yargs's completion command answers to, unlisted: `wirestate completion [shell]` is the one people use. */
const YARGS_COMPLETION_COMMAND = 'yargs-completion-script';

/** Parses `argv` and runs the command it names, in the order `--help` lists them. */
export async function runCli(protocols: readonly ProtocolEntry[], typed: string[]): Promise<unknown> {
  const argv = completing(typed) ? typed : commandFirst(typed);
  const entries = commandEntries(protocols);
  const named = namedCommand(argv);
  // Before yargs, which would take the word for flags (and print the help for an `h` among them).
  const early = completing(argv) ? undefined : wordAfterEarlyEnd(typed);
  if (early !== undefined) {
    const command = entries.some(names(early)) ? ` (wirestate ${early} ...)` : '';
    writeFailure(argv, `-- ends the options, so the command's name goes before it${command}`, EXIT.usage);
    process.exit(EXIT.usage);
  }
  const dashed = completing(argv) ? undefined : dashedWord(argv);
  if (dashed !== undefined) {
    // Refused before its command is built, a client's word still leaves its `--json` object (every client takes it).
    writeFailure(argv, dashed, EXIT.usage, true);
    process.exit(EXIT.usage);
  }
  const loaded = entries.filter((entry) => completing(argv) || names(named)(entry));
  const bodies = new Map(await Promise.all(loaded.map(async (entry) => [entry, await entry.load()] as const)));
  const cli = entries.reduce<Argv>(
    (parser, entry) => {
      const body = bodies.get(entry);
      return body ? addCommand(parser, entry.usage, entry.describe, body) : parser.command(entry.usage, entry.describe);
    },
    withoutHelpCache(yargs(argvForCompletionShell(argv)).scriptName('wirestate')),
  );
  return (
    cli
      .command(
        'completion [shell]',
        'Print a completion script: completion bash >> ~/.bashrc, or zsh >> ~/.zshrc',
        (completion) =>
          withLogFormat(completion, 'stderr')
            .positional('shell', {
              type: 'string',
              describe: `The shell to complete in: ${SHELLS.join(' or ')} (default: $SHELL)`,
            })
            .check(refuseOtherShell)
            .epilog(
              examples(
                ['$0 completion bash >> ~/.bashrc', 'commands and flags complete on TAB in new bash shells'],
                ['$0 completion zsh >> ~/.zshrc', 'the same for zsh'],
              ),
            ),
        () => {
          // yargs's types leave out the two names its script's comments show: the program and this command.
          (cli.showCompletionScript as (this: Argv, program: string, command: string) => Argv).call(
            cli,
            'wirestate',
            'completion',
          );
        },
      )
      .demandCommand(1, 'name a command')
      // yargs's own completion command would print its script for any words after it, --help included: it
      // goes unlisted under a name nobody types, and keeps answering the script's --get-yargs-completions.
      .completion(YARGS_COMPLETION_COMMAND, false, longFlagsWithoutShortAliases(typed))
      .middleware(unbracketHost, true)
      .check(refuseInspectTakingAnArgument(argv, () => commandWords(cli)) as unknown as Parameters<Argv['check']>[0])
      .check(refuseBlankValues(argv) as unknown as Parameters<Argv['check']>[0])
      .check(refuseNotANumber(argv) as unknown as Parameters<Argv['check']>[0])
      .check(refuseBooleanValues(argv) as unknown as Parameters<Argv['check']>[0])
      .check(refuseTooLongTimes as unknown as Parameters<Argv['check']>[0])
      .check(refuseFractionalCounts as unknown as Parameters<Argv['check']>[0])
      .check(refuseGivenTwice as unknown as Parameters<Argv['check']>[0])
      .check(refuseBlankNames(argv) as unknown as Parameters<Argv['check']>[0])
      .check(refuseStrayBrackets(argv) as unknown as Parameters<Argv['check']>[0])
      .check(refuseEmptyInspectPort(argv) as unknown as Parameters<Argv['check']>[0])
      .check(refuseWordsAfterEnd(() => commandWords(cli)) as unknown as Parameters<Argv['check']>[0])
      .strict()
      .help('help')
      .alias('help', ['h', '?', 'usage'])
      .version()
      .wrap(helpWidth())
      .updateStrings({
        'Not enough arguments following: %s': '%s needs a value',
        'Arguments %s and %s are mutually exclusive': '--%s and --%s cannot be used together',
        'Not enough non-option arguments: got %s, need at least %s': plural(
          'too few arguments: got %s, need at least %s',
          'too few arguments: got %s, need at least %s',
        ),
        'Too many non-option arguments: got %s, maximum of %s': plural(
          'too many arguments: got %s, at most %s',
          'too many arguments: got %s, at most %s',
        ),
      })
      // One line and where to look, not the whole usage: the error is what the person needs to see.
      // yargs passes a null message with a thrown error (its types say string).
      .fail((message: string | null, error: Error | undefined) => {
        if (error && !message && !(error instanceof CommandError)) throw error;
        // yargs, strict, calls a first word that names no command an unknown argument.
        const unknownCommand = named !== undefined && named !== 'completion' && !entries.some(names(named));
        const said = String(message ?? error?.message);
        const stray = named === undefined ? strayFlag(argv) : undefined;
        // A command's own flag typed before it: its value was taken for the command.
        const misplaced = unknownCommand ? misplacedFlag(typed) : undefined;
        const oneLine = (
          misplaced
            ? `${misplaced} goes after the command's name: only the flags every command shares ` +
              '(--log-format, --record, --inspect, -d) may come before it'
            : unknownCommand
              ? `unknown command: ${named}`
              : stray
                ? `unknown option ${stray.split('=')[0]}`
                : (inspectWordFailure(argv, said, commandWords(cli)) ?? inUserWords(said, argv, commandWords(cli)))
        )
          .replace(/\s*\n\s*/g, ' ')
          // yargs's `KEY needs a value` (updateStrings above) names the key bare; the checks name the flag (`-l`, `PORT`).
          .replace(/^([a-z][\w-]*) needs a value$/, (_, key: string) =>
            // A lone `-` given for a list of words (upper's SENTENCE): yargs says the list needs a value.
            !typedAsFlag(argv, [key]) && argv.includes('-')
              ? `- cannot stand for ${key.toUpperCase()}: a lone - means standard input or output only where a file is named`
              : `${key.length === 1 ? '-' : '--'}${key} needs a value`,
          );
        const exitCode = error instanceof CommandError ? error.exitCode : EXIT.usage;
        writeFailure(argv, oneLine, exitCode);
        process.exit(exitCode);
      })
      .parseAsync()
  );
}

/**
 * `completion zsh` / `completion bash`: yargs picks the script by $SHELL (or $ZSH_NAME) when it starts,
 * so the shell named on the line is set there first; this process only prints the script and ends.
 */
function argvForCompletionShell(argv: string[]): string[] {
  const [command, shell] = argv;
  if (command === 'completion' && shell === 'zsh') process.env.SHELL = '/bin/zsh';
  if (command === 'completion' && shell === 'bash') {
    process.env.SHELL = '/bin/bash';
    delete process.env.ZSH_NAME;
  }
  return argv;
}

/**
 * A shell yargs has no script for is one line, named on the line (`completion fish`) or by $SHELL (without a
 * shell named, yargs would print bash's script for any $SHELL but zsh).
 */
function refuseOtherShell(args: { shell?: string }): true {
  const supported = `completion scripts exist for ${SHELLS.join(' and ')}`;
  if (args.shell !== undefined && !SHELLS.includes(args.shell))
    throw new Error(`${args.shell} is not supported: ${supported}`);
  const shell = process.env.SHELL;
  if (args.shell !== undefined || !shell || process.env.ZSH_NAME || SHELLS.includes(basename(shell))) return true;
  throw new Error(`$SHELL is ${shell}, which is not supported: ${supported} (wirestate completion bash)`);
}

/** yargs completes `--` with every alias behind `--` too (`--d` for `-d`): only the long names are flags. */
const longFlagsWithoutShortAliases =
  (typed: string[]) =>
  (
    _current: string,
    _argv: unknown,
    completionFilter: (onCompleted: (error: unknown, completions?: string[]) => void) => void,
    done: (completions: string[]) => void,
  ) => {
    const fixed = fixedCompletions(typed.slice(typed.indexOf('--get-yargs-completions') + 1));
    if (fixed) done(fixed);
    else
      completionFilter((_error, completions) =>
        done((completions ?? []).filter((word) => !/^--[^-](:|$)/.test(word)).map(offeredFlag)),
      );
  };

/** A message yargs picks by count: y18n reads `{ one, other }`, which yargs's types for updateStrings do not know. */
const plural = (one: string, other: string) => ({ one, other }) as unknown as string;

/**
 * yargs reads `--idle-timeout abc` as NaN and `1e999` as Infinity, and each check would then say something beside the point.
 * Registered before any command's checks, so it runs first; a check gets the parser's options second
 * (yargs's types call them aliases). A value typed as a flag is named as the flag, a positional one as
 * its placeholder (`PORT`), the way the user wrote it.
 */
const refuseNotANumber =
  (argv: string[]) =>
  (args: Record<string, unknown>, options: { number: string[]; alias?: Record<string, string[]> }): true => {
    for (const key of options.number) {
      const value = args[key];
      if (typeof value !== 'number' || Number.isFinite(value)) continue;
      throw new Error(
        `${typedAsFlag(argv, [key, ...(options.alias?.[key] ?? [])]) ? `--${key}` : key.toUpperCase()} takes a ${Number.isNaN(value) ? '' : 'finite '}number`,
      );
    }
    return true;
  };

/**
 * yargs makes an array of a flag given twice, and a command meant for one value then takes the array (`--host`
 * twice listened on every address). Refused, but for array flags and the REPEATABLE_OPTIONS.
 */
const refuseGivenTwice = (
  args: Record<string, unknown>,
  options: { key: Record<string, unknown>; array: string[]; alias: Record<string, string[]> },
): true => {
  const aliases = new Set(Object.values(options.alias).flat());
  for (const key of Object.keys(options.key)) {
    if (!Array.isArray(args[key]) || aliases.has(key)) continue;
    if (options.array.includes(key) || REPEATABLE_OPTIONS.includes(key)) continue;
    throw new Error(`--${key} given twice`);
  }
  return true;
};

/** The words of the command being parsed, its usage last (`['queue', 'server <port> <socktype>']`): yargs keeps them, untyped. */
const commandWords = (cli: Argv): string[] =>
  (cli as unknown as { getInternalMethods(): { getContext(): { fullCommands: string[] } } })
    .getInternalMethods()
    .getContext().fullCommands;
