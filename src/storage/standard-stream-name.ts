/**
 * What a user types for "standard input or output" in place of a file name (yargs turns a lone `-` into ''). A
 * module of its own: the command line asks it (its options, its failure words) without loading the streams.
 */
export const isStandardStream = (name: string | undefined): boolean => name === '-' || name === '';
