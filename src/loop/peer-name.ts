/** How a host and port are printed: `host:port`, an IPv6 address in brackets (`[::1]:50001`) as `-s` takes it. */
import type { Socket } from 'node:net';

export const hostPort = (host: string, port: number | string): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/**
 * What a line calls a peer the kernel no longer knows: one that reset its connection before the server took it
 * from the listening queue (its address is asked of the kernel when the socket is first asked for it).
 */
export const GONE_PEER = 'a peer already gone';

/** `address:port` of a TCP socket's peer, for log lines; GONE_PEER once the kernel cannot say. */
export const peerName = (socket: Socket): string =>
  socket.remoteAddress === undefined ? GONE_PEER : hostPort(socket.remoteAddress, String(socket.remotePort));
