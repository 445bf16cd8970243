/** The one line a server or the proxy logs when it cannot listen (a port in use, an address not on this machine), before exit 8. */
import { errorCode } from '../storage/errors';
import { errnoWords } from '../log/errno-words';
import { hostPort } from '../loop/peer-name';

export const cannotListen = (name: string, host: string, port: number, transport: 'tcp' | 'udp', error: unknown) =>
  `${name}: cannot listen on ${hostPort(host, port)} (${transport.toUpperCase()}): ${errnoWords(errorCode(error))}`;
