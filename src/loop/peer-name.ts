/** How a host and port are printed: `host:port`, an IPv6 address in brackets (`[::1]:50001`) as `-s` takes it. */
import type { Socket } from 'node:net';

export const hostPort = (host: string, port: number | string): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** `address:port` of a TCP socket's peer, for log lines (`undefined:undefined` once the socket is gone). */
export const peerName = (socket: Socket): string => hostPort(String(socket.remoteAddress), String(socket.remotePort));
