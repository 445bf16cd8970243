/**
 * yargs's usage errors in the words of the person who typed the line: options named once, as typed
 * (`--max-size`, not `max-size, maxSize`), a missing positional named with the command that wants it,
 * a bad choice with the ones that are good.
 */
import { isSharedFlag } from './leading-options';

/** Whether `argv` holds one of `names` as a flag (`--port 1`, `--port=1`, `-p 1`). */
export const typedAsFlag = (argv: string[], names: string[]): boolean =>
  names.some((name) => {
    const flag = flagOf(name);
    return argv.some((word) => word === flag || word.startsWith(`${flag}=`));
  });

/** How `name` is typed as a flag: `-p` for a one-letter name, `--port` for the others. */
const flagOf = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/** `name` as the command's help names it: a positional as its usage writes it (`<socktype>`, `[shell]`), a flag as `--name`. */
const asInHelp = (command: string[], name: string): string =>
  (command.at(-1) ?? '').split(' ').find((word) => word.replace(/[<>[\].]/g, '') === name) ?? `--${name}`;

/**
 * yargs's message in the user's words, or the message itself when it is not one of those yargs words badly.
 * `command` is the command's words with its usage last (`['queue', 'server <port> <socktype>']`).
 */
export function inUserWords(message: string, argv: string[], command: string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown) return unknownWords(unknown[1].split(', '), argv, command) ?? message;
  const tooFew = /^too few arguments: got (\d+)/.exec(message);
  if (tooFew) return missingPositionals(Number(tooFew[1]), command) ?? message;
  if (message.startsWith('Invalid values:')) return badChoices(message, command);
  return message;
}

/**
 * `unknown option --max-size` (yargs: `Unknown arguments: max-size, maxSize`), `replay takes no -d` for a flag
 * other commands share (which may go before any command's words), or the words nobody asked for.
 */
function unknownWords(names: string[], argv: string[], command: string[]): string | undefined {
  const flags = names.filter((name) => typedAsFlag(argv, [name])).map(flagOf);
  const [shared, unknown] = [flags.filter(isSharedFlag), flags.filter((flag) => !isSharedFlag(flag))];
  const words = names.filter((name) => !typedAsFlag(argv, [name]) && argv.includes(name));
  const said = [
    shared.length > 0 && `${commandName(command)} takes no ${shared.join(', ')}`,
    unknown.length > 0 && `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
    words.length > 0 && unexpectedWords(words),
  ].filter(Boolean);
  return said.length > 0 ? said.join('; ') : undefined;
}

/** `unexpected argument 'x'`, `unexpected arguments 'x', 'y'`: words typed that no argument takes. */
export const unexpectedWords = (words: string[]): string =>
  `unexpected argument${words.length > 1 ? 's' : ''} ${words.map((word) => `'${word}'`).join(', ')}`;

/** `queue server needs <socktype> after <port>`: the positionals the command's usage demands past the `given` ones. */
function missingPositionals(given: number, command: string[]): string | undefined {
  const usage = command.at(-1);
  if (usage === undefined) return undefined;
  const demanded = usage.split(' ').filter((word) => word.startsWith('<'));
  if (demanded.length <= given) return undefined;
  const after = given > 0 ? ` after ${demanded.slice(0, given).join(' ')}` : '';
  return `${commandName(command)} needs ${demanded.slice(given).join(' ')}${after}`;
}

/** `queue server`: the command's words without its usage's positionals. */
const commandName = (command: string[]): string =>
  [...command.slice(0, -1), (command.at(-1) ?? '').split(' ')[0]].join(' ');

/** `--mode must be download or upload, not 'x'`, or `--mode needs a value` for `--mode=` (yargs: `Invalid values: Argument: mode, Given: "x", Choices: ...`). */
function badChoices(message: string, command: string[]): string {
  const bad = [...message.matchAll(/Argument: ([\w-]+), Given: (.*), Choices: (.*)/g)].map(
    ([, name, given, choices]) =>
      unquoted(given).every((value) => value === '')
        ? `${asInHelp(command, name)} needs a value`
        : `${asInHelp(command, name)} must be ${either(unquoted(choices))}, not ${unquoted(given)
            .map((value) => `'${value}'`)
            .join(' or ')}`,
  );
  return bad.length > 0 ? bad.join('; ') : message;
}

/** yargs's `"a", "b"` as the values. */
const unquoted = (list: string): string[] => list.split(', ').map((value) => value.replace(/^"(.*)"$/, '$1'));

/** `a`, `a or b`, `a, b or c`. */
const either = (values: string[]): string =>
  values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values.join('');
