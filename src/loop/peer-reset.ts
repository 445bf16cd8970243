/**
 * Whether a TCP socket's end of stream was the peer's FIN or a reset. libuv reports a reset that arrives
 * behind data as a clean end, so a peer that broke off would look like one that finished. The kernel
 * still tells them apart: a FIN leaves the socket connected on our side (CLOSE_WAIT, or LAST_ACK, CLOSING
 * once ours went too), a reset closes it, and getpeername(2) fails with ENOTCONN on a closed socket. One
 * system call per end, whatever else the machine holds open (reading /proc/net/tcp grew with every
 * connection in TIME_WAIT: milliseconds per end under load).
 */
import type { Socket } from 'node:net';

/** The part of Node's TCP handle asked here: `getpeername` fills `out` and returns 0, or a negative errno. */
interface PeerNaming {
  getpeername(out: object): number;
}

/**
 * True when `socket` was reset rather than ended by the peer's FIN. Ask only while our side is open (after
 * both FINs the answer is no longer the peer's). Node caches `remoteAddress`, so the handle is asked itself;
 * a socket without one (already destroyed) cannot tell, and its end is taken as it came.
 */
export function peerReset(socket: Socket): boolean {
  const handle = (socket as unknown as { _handle?: Partial<PeerNaming> | null })._handle;
  if (typeof handle?.getpeername !== 'function') return false;
  return handle.getpeername({}) !== 0;
}
