/**
 * `--read-only` for every server that can store uploads, and the one-line
 * warning such a server gives at start when anyone beyond this machine may
 * send it uploads of any size.
 */
import type { Argv } from 'yargs';
import type { Logger } from '../log/logger';

export function withReadOnlyOption<T>(yargs: Argv<T>) {
  return yargs.option('read-only', {
    type: 'boolean',
    default: false,
    describe: 'Refuse every upload, the way the protocol refuses a name that exists',
  });
}

/** This machine only: localhost, ::1, 127.0.0.0/8, also as an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`). */
const isLoopback = (host: string) => {
  const ipv4 = host.replace(/^::ffff:/i, '');
  return host === 'localhost' || host === '::1' || ipv4.startsWith('127.');
};

/** `accepting`: who accepts the uploads ("the transfer server accepts"); `limit`: how to cap their size, when there is a way. */
export function warnIfOpenToUploads(
  log: Logger,
  args: { host: string; 'read-only': boolean },
  accepting: string,
  limit = '',
): void {
  if (args['read-only'] || isLoopback(args.host)) return;
  log.warn(
    `${accepting} uploads of any size from anyone who can reach ${args.host.includes(':') ? `[${args.host}]` : args.host}: ${limit}--read-only refuses them, --host 127.0.0.1 keeps them to this machine`,
    { event: 'warning', warning: 'open_to_uploads', host: args.host },
  );
}
