/**
 * `--host [::1]`: an IPv6 address in brackets, as `-s [::1]:50001` takes it and every log line prints it, is the
 * address itself. Without this the brackets went into the lookup (`cannot connect to [[::1]]:PORT`).
 */

/** A yargs middleware for every command, before validation: the `host` option or positional without its brackets. */
export const unbracketHost = (args: Record<string, unknown>): void => {
  const host = args.host;
  if (typeof host === 'string' && /^\[[^\]]*:[^\]]*\]$/.test(host)) args.host = host.slice(1, -1);
};
