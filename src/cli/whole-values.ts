/**
 * Options that count connections, peers, bytes or messages take whole numbers: `--max-connections 1.5` started a
 * server that allowed 1.5 connections. Refused for every command, whichever declares the option; a command's own
 * check still says the range (`at least 1`).
 */

/** Counting options across commands (ports have their own checks, in their own words). */
const COUNTS = [
  'max-connections',
  'max-per-address',
  'max-peers-per-address',
  'min-rate',
  'max-size',
  'max-request',
  'max-messages',
  'max-queue-bytes',
  'max-fragment',
  'corrupt-after',
  'udp-burst',
  'udp-max-reply',
  'udp-max-rate',
  'parallel',
  'seed',
];

/** A yargs check over the parsed `args` of any command. */
export const refuseFractionalCounts = (args: Record<string, unknown>): true => {
  for (const key of COUNTS) {
    const value = args[key];
    if (typeof value === 'number' && !Number.isInteger(value))
      throw new Error(`--${key} takes a whole number, not ${value}`);
  }
  return true;
};
