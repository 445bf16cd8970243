/**
 * Flags that may be given several times (the transfer client's `-v`/`-l` pairs, each coerced by `eachGiven`);
 * every other single-valued flag given twice is refused (cli.ts), and one with a `coerce` through `givenOnce`.
 */
export const REPEATABLE_OPTIONS: readonly string[] = ['server-file-name', 'client-file-name'];

/** A repeatable flag's values: an array whether it was given once or several times. */
export const eachGiven = (value: string | string[]): string[] => [value].flat();

/**
 * A single-valued flag's `coerce`: yargs hands it the array of a flag given twice before cli.ts's check can
 * refuse it, so it is refused here, in the same words, rather than read as one value (`"1,2"`).
 */
export const givenOnce =
  <T>(flag: string, coerce: (value: string | undefined) => T) =>
  (value: string | string[] | undefined): T => {
    if (Array.isArray(value)) throw new Error(`--${flag} given twice`);
    return coerce(value);
  };
