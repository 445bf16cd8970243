/**
 * Words typed after `--`. yargs fills no positional with them: they come in `_` after the command's own names,
 * and its strict mode passes over them. The clients whose words may start with `-` (a sentence, a request, a
 * name) take them as typed; every other command refuses them, or it would run as if they were not there.
 */

/** The commands that take words after `--`, each reading them with `typedWords`. */
const TAKING_WORDS_AFTER_END = ['upper client', 'sum client', 'ardei client'];

/** A client's words as typed: those yargs took for its positionals, then any after `--` (after `upper client` in `_`). */
export const typedWords = (args: { _: (string | number)[] }, positional: string[] | undefined): string[] => [
  ...(positional ?? []),
  ...args._.slice(2).map(String),
];

/**
 * A yargs check: refuses words after `--` (`wirestate server -- x`: `unexpected argument 'x'`) unless the command
 * takes them. `commandWords`: the command's usage, one entry per name (`upper`, `client [sentence..]`).
 */
export const refuseWordsAfterEnd =
  (commandWords: () => string[]) =>
  (args: { _: (string | number)[] }): true => {
    const words = commandWords();
    const extra = args._.slice(words.length);
    const command = words.map((usage) => usage.split(' ')[0]).join(' ');
    if (extra.length > 0 && !TAKING_WORDS_AFTER_END.includes(command))
      throw new Error(`unexpected argument '${String(extra[0])}'`);
    return true;
  };
