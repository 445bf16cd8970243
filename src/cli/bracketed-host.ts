/**
 * `--host [::1]`: an IPv6 address in brackets, as `-s [::1]:50001` takes it and every log line prints it, is the
 * address itself. Without this the brackets went into the lookup (`cannot connect to [[::1]]:PORT`); any other
 * bracket (`[::1`, `[]`, `[127.0.0.1]`) went there too, and is refused.
 */
import { shownAs } from './blank-names';

/** Brackets around a whole IPv6 address: `[::1]`, not `[]` or `[127.0.0.1]`. */
const BRACKETED_V6 = /^\[[^[\]]*:[^[\]]*\]$/;

/** A yargs middleware for every command, before validation: the `host` option or positional without its brackets. */
export const unbracketHost = (args: Record<string, unknown>): void => {
  const host = args.host;
  if (typeof host === 'string' && BRACKETED_V6.test(host)) args.host = host.slice(1, -1);
};

/** A yargs check over any command's parsed `args` (after `unbracketHost`); `argv`: the words typed. */
export const refuseStrayBrackets =
  (argv: string[]) =>
  (args: Record<string, unknown>, options: { alias?: Record<string, string[]> }): true => {
    const host = args.host;
    if (typeof host === 'string' && /[[\]]/.test(host))
      throw new Error(
        `${shownAs(argv, 'host', options.alias?.host ?? [])} "${host}": brackets hold a whole IPv6 address ([::1]), or leave them out`,
      );
    return true;
  };
