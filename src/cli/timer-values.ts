/**
 * Options whose value becomes a timer. Node's timers hold at most 2^31-1 ms (24.8 days) and fire a longer one at
 * once (a TimeoutOverflowWarning): `client --idle-timeout 3000000` timed out as soon as it connected. Refused for
 * every command, whichever declares the option.
 */

/** The most a timer holds, in ms. */
const LONGEST_MS = 2 ** 31 - 1;

/** Timer options in seconds, and in milliseconds, across commands. */
const IN_SECONDS = ['idle-timeout', 'request-timeout', 'rate-window', 'grace', 'hello-wait'];
const IN_MILLISECONDS = ['max-delay-ms', 'pass-gap', 'udp-pause', 'prepared-gap', 'quiet-period'];

/** A yargs check over the parsed `args` of any command. */
export const refuseTooLongTimes = (args: Record<string, unknown>): true => {
  for (const [keys, perMs, unit] of [
    [IN_SECONDS, 1000, `${Math.floor(LONGEST_MS / 1000)} seconds`],
    [IN_MILLISECONDS, 1, `${LONGEST_MS} ms`],
  ] as const) {
    for (const key of keys) {
      const value = args[key];
      if (typeof value === 'number' && value * perMs > LONGEST_MS)
        throw new Error(`--${key} is at most ${unit} (24 days)`);
    }
  }
  return true;
};
