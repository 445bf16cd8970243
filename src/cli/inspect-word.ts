/**
 * The word after a bare `--inspect`. Its PORT is optional, so yargs gives it the next word: `share server
 * --inspect 3651` served share's default port with the inspector on 3651, `queue server --inspect 55556 TCP`
 * blamed `<socktype>`, and `--inspect -` was refused as `--sentence needs a value`. A number there is the
 * inspector's port only when the command has no argument left for it; otherwise the line is refused, saying
 * how to write either. `--inspect=PORT` is always the port.
 */
import { Parser } from 'yargs/helpers';
import { notAPort } from './inspect-options';
import { typedAsFlag } from './usage-words';

/** The word typed after `--inspect`, when it is one of its own (`--inspect 3651`), or undefined. */
const wordAfterInspect = (argv: string[]): string | undefined => {
  const index = argv.indexOf('--inspect');
  return index < 0 ? undefined : argv[index + 1];
};

/** `--inspect 3651`'s number, or undefined. */
const portWord = (argv: string[]): string | undefined => {
  const word = wordAfterInspect(argv);
  return word !== undefined && /^\d+$/.test(word) ? word : undefined;
};

/** The line for a number the command could take as well; `command`: its words, usage last (`['share', 'server [port]']`). */
const eitherPortOrArgument = (port: string, command: string[]): string =>
  `--inspect ${port}: is ${port} the inspector's port or an argument of ${command.join(' ')}? ` +
  `write --inspect=${port} for the inspector's, or put --inspect after the arguments`;

/**
 * A failure's line in words about `--inspect`, when the word after it is what went wrong: a number that
 * left the command short of an argument (`said`: `too few arguments...`), or a lone `-`; else undefined.
 */
export function inspectWordFailure(argv: string[], said: string, command: string[]): string | undefined {
  const port = portWord(argv);
  if (port !== undefined && said.startsWith('too few arguments')) return eitherPortOrArgument(port, command);
  // yargs reads a lone `-` as an empty word: an unknown one, or an argument given none (`sentence needs a value`).
  const emptyArgument = /^(\w+) needs a value$/.exec(said)?.[1];
  const aboutTheDash =
    said === 'Unknown argument: -' || (emptyArgument !== undefined && !typedAsFlag(argv, [emptyArgument]));
  return wordAfterInspect(argv) === '-' && aboutTheDash ? notAPort('-') : undefined;
}

/** What yargs knows of the command's options, as its checks get them (yargs's types call them aliases). */
interface ParserOptions {
  alias: Record<string, string[]>;
  array: string[];
  boolean: string[];
  number: string[];
  string: string[];
  narg: Record<string, number>;
}

/**
 * A yargs check over any command's parsed `args`, for a command whose demanded arguments are all there (else
 * `inspectWordFailure`): refuses `--inspect NUMBER` when the number would fill an optional one. `argv`: the
 * words typed; `commandOf`: the command's words, usage last.
 */
export const refuseInspectTakingAnArgument =
  (argv: string[], commandOf: () => string[]) =>
  (_args: unknown, options: ParserOptions): true => {
    const port = portWord(argv);
    if (port === undefined) return true;
    const command = commandOf();
    const slots = (command.at(-1) ?? '').split(' ').length - 1;
    const { alias, array, boolean, number, string, narg } = options;
    const typed = Parser(argv, {
      alias,
      array,
      number,
      narg,
      boolean: [...boolean, 'inspect'],
      string: string.filter((key) => key !== 'inspect'),
    })._;
    // The command's words, then its arguments, the number among them.
    const argumentsBesidesPort = typed.length - command.length - 1;
    if (argumentsBesidesPort < slots) throw new Error(eitherPortOrArgument(port, command));
    return true;
  };
