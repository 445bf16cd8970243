/**
 * The one line a server or the proxy logs when it cannot listen, and its exit code: 11 when --host is no address
 * of this machine (a name that does not resolve, an address on no interface), 8 for the port (in use).
 */
import { EXIT } from '../engine/exit-codes';
import { errorCode } from '../storage/errors';
import { errnoWords } from '../log/errno-words';
import { hostPort } from '../loop/peer-name';

export const cannotListen = (name: string, host: string, port: number, transport: 'tcp' | 'udp', error: unknown) =>
  `${name}: cannot listen on ${hostPort(host, port)} (${transport.toUpperCase()}): ${errnoWords(errorCode(error))}`;

/** The host errors: what --host names is not here; any other is the port's. */
const HOST_ERRORS = ['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'];

export const cannotListenExit = (error: unknown): number =>
  HOST_ERRORS.includes(errorCode(error)) ? EXIT.hostNotHere : EXIT.cannotListen;

/** That line's fields, for `--log-format json`: what the prose says, and the exit code that follows. */
export const cannotListenFields = (
  name: string,
  host: string,
  port: number,
  transport: 'tcp' | 'udp',
  error: unknown,
) => ({
  event: 'error',
  protocol: name,
  host,
  port,
  transport,
  code: errorCode(error),
  exit_code: cannotListenExit(error),
});
