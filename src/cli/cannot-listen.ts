/** The one line a server or the proxy logs when it cannot listen (a port in use, an address not on this machine), before exit 8. */
import { errorCode } from '../storage/errors';
import { errnoWords } from '../log/errno-words';
import { hostPort } from '../loop/peer-name';
import { EXIT } from '../engine/exit-codes';

export const cannotListen = (name: string, host: string, port: number, transport: 'tcp' | 'udp', error: unknown) =>
  `${name}: cannot listen on ${hostPort(host, port)} (${transport.toUpperCase()}): ${errnoWords(errorCode(error))}`;

/** That line's fields, for `--log-format json`: what the prose says, and the exit code that follows. */
export const cannotListenFields = (
  name: string,
  host: string,
  port: number,
  transport: 'tcp' | 'udp',
  error: unknown,
) => ({ event: 'error', protocol: name, host, port, transport, code: errorCode(error), exit_code: EXIT.cannotListen });
