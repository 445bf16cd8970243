/**
 * Flags that may be given several times (the transfer client's `-v`/`-l` pairs, each coerced by `eachGiven`);
 * every other single-valued flag given twice is refused (cli.ts).
 */
export const REPEATABLE_OPTIONS: readonly string[] = ['server-file-name', 'client-file-name'];

/** A repeatable flag's values: an array whether it was given once or several times. */
export const eachGiven = (value: string | string[]): string[] => [value].flat();
