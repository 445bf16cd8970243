/**
 * A file or a name that is empty or blank names nothing: `-l "  "` would make a file named two spaces, `-v "  "`
 * ask the server for it, and `-l ""` write to stdout, since yargs reads a lone `-` as an empty string too (so an
 * empty value is `-` only when the words hold one). Refused as a bad argument, the way `--root "  "` is.
 */
import { typedAsFlag } from './usage-words';

/** The options and positionals, across commands, whose value names a local file or a name on a server. */
const NAMING = [
  'client-file-name',
  'server-file-name',
  'list-file',
  'input',
  'output',
  'file',
  'name',
  'source',
  'target',
];

/** A yargs check over the parsed `args` of any command; `argv`: the words typed. */
export const refuseBlankNames =
  (argv: string[]) =>
  (args: Record<string, unknown>, options: { alias?: Record<string, string[]> }): true => {
    for (const key of NAMING) {
      for (const value of [args[key]].flat()) {
        if (typeof value !== 'string' || value.trim() !== '' || (value === '' && argv.includes('-'))) continue;
        throw new Error(
          `${shownAs(argv, key, options.alias?.[key] ?? [])} is ${value === '' ? 'empty' : 'blank'}: give a name`,
        );
      }
    }
    return true;
  };

/** The option as typed (`-l` or `--client-file-name`), a positional as its placeholder (`FILE`). */
export const shownAs = (argv: string[], key: string, aliases: string[]): string => {
  const typed = [key, ...aliases].find((name) => typedAsFlag(argv, [name]));
  if (typed === undefined) return key.toUpperCase();
  return typed.length === 1 ? `-${typed}` : `--${typed}`;
};
