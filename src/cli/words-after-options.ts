/**
 * A client's words as typed: those yargs took for its variadic positional, then any after `--` (a sentence or
 * request that starts with `-`), which come in `_` after the command's own two names (`upper client`).
 */
export const typedWords = (args: { _: (string | number)[] }, positional: string[] | undefined): string[] => [
  ...(positional ?? []),
  ...args._.slice(2).map(String),
];
