/**
 * Aborting a TCP connection with RST (so the peer cannot take what it got for all there was), also after
 * our side has begun to end. libuv refuses a reset while our FIN waits to go out (uv_tcp_close_reset says
 * EINVAL while a shutdown is pending), and Node then emits that error but neither closes the handle nor
 * emits `close`: the connection never settled, its socket stayed open, and the process spun on it. So a
 * reset asked for while our side is ending waits until the FIN has gone (`finish`, at the next turn of the
 * loop when no write is queued); until then a destroy (a lingering connection's timer) still closes it.
 */
import type { Socket } from 'node:net';

export function resetSocket(socket: Socket): void {
  if (socket.writableEnded && !socket.writableFinished) socket.once('finish', () => socket.resetAndDestroy());
  else socket.resetAndDestroy();
}
