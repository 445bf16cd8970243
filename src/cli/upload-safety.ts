/**
 * `--read-only` and `--max-size` for every server that can store uploads, and
 * the one-line warning such a server gives at start when anyone beyond this
 * machine may send it uploads of any size.
 */
import type { Argv } from 'yargs';
import type { Logger } from '../log/logger';

/** `--max-size` unset: no limit. */
export const NO_UPLOAD_LIMIT = Number.MAX_SAFE_INTEGER;

export function withUploadOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('read-only', {
      type: 'boolean',
      default: false,
      describe: 'Refuse every upload, the way the protocol refuses a name that exists',
    })
    .option('max-size', {
      type: 'number',
      default: NO_UPLOAD_LIMIT,
      defaultDescription: 'no limit',
      describe: 'Largest upload stored, in bytes (transfer: refused before it starts; share: cut, nothing kept)',
    })
    .check((args) => {
      if (!Number.isInteger(args['max-size']) || args['max-size'] < 0)
        throw new Error('--max-size must be a whole number of bytes');
      return true;
    });
}

/** This machine only: localhost, ::1, 127.0.0.0/8, also as an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`). */
const isLoopback = (host: string) => {
  const ipv4 = host.replace(/^::ffff:/i, '');
  return host === 'localhost' || host === '::1' || ipv4.startsWith('127.');
};

/** `accepting`: who accepts the uploads ("the transfer server accepts"). */
export function warnIfOpenToUploads(
  log: Logger,
  args: { host: string; 'read-only': boolean; 'max-size': number },
  accepting: string,
): void {
  if (args['read-only'] || args['max-size'] !== NO_UPLOAD_LIMIT || isLoopback(args.host)) return;
  log.warn(
    `${accepting} uploads of any size from anyone who can reach ${args.host.includes(':') ? `[${args.host}]` : args.host}: --max-size BYTES limits them, --read-only refuses them, --host 127.0.0.1 keeps them to this machine`,
    { event: 'warning', warning: 'open_to_uploads', host: args.host },
  );
}
