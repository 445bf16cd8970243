/**
 * A number or an address given as an empty or blank word says nothing: yargs reads `-l ""` as port 0 (any free
 * port) and `--idle-timeout " "` as 0 seconds, and `--host ""` binds every address. Refused for every command, in
 * the words of a flag given no value (`-l needs a value`), before the command's own checks could say "got 0".
 */
import { shownAs } from './blank-names';

/** The options and positionals, across commands, whose value is an address: a host, or host:port. */
const ADDRESSES = ['host', 'server'];

/** A yargs check over the parsed `args` of any command; `argv`: the words typed. */
export const refuseBlankValues =
  (argv: string[]) =>
  (args: Record<string, unknown>, options: { number: string[]; alias?: Record<string, string[]> }): true => {
    for (const key of [...options.number, ...ADDRESSES]) {
      const names = [key, ...(options.alias?.[key] ?? [])];
      const typed = typedValues(argv, names);
      const blank =
        typed.length > 0
          ? typed.some(isBlank)
          : (typeof args[key] === 'string' && isBlank(args[key])) ||
            ((args[key] === 0 || Number.isNaN(args[key])) && hasBlankPositional(argv));
      if (blank) throw new Error(`${shownAs(argv, key, options.alias?.[key] ?? [])} needs a value`);
    }
    return true;
  };

const isBlank = (word: string): boolean => word.trim() === '';

/** The words typed as the value of a flag named `names` (`--port 1`, `--port=1`, `-p 1`). */
const typedValues = (argv: string[], names: string[]): string[] =>
  names.flatMap((name) => {
    const flag = name.length === 1 ? `-${name}` : `--${name}`;
    return argv.flatMap((word, index) => {
      if (word === flag) return index + 1 < argv.length ? [argv[index + 1]] : [];
      return word.startsWith(`${flag}=`) ? [word.slice(flag.length + 1)] : [];
    });
  });

/** Whether a blank word stands where a positional does: not right after a flag. */
const hasBlankPositional = (argv: string[]): boolean =>
  argv.some((word, index) => isBlank(word) && !(argv[index - 1] ?? '').startsWith('-'));
