/** `address:port` of a TCP socket's peer, for log lines (`undefined:undefined` once the socket is gone). */
import type { Socket } from 'node:net';

export const peerName = (socket: Socket): string => `${String(socket.remoteAddress)}:${String(socket.remotePort)}`;
