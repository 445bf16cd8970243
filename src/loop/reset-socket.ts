/**
 * Aborting a TCP connection with RST (so the peer cannot take what it got for all there was), also after
 * our side has begun to end. libuv refuses a reset while our FIN waits to go out (uv_tcp_close_reset says
 * EINVAL while a shutdown is pending), and Node then emits that error but neither closes the handle nor
 * emits `close`: the connection never settled, its socket stayed open, and the process spun on it. So a
 * reset asked for while our side is ending waits until the FIN has gone (`finish`, at the next turn of the
 * loop when no write is queued). Node asks for the shutdown only once every write has left for the kernel:
 * while some still wait in Node (a reader that takes nothing more), none is pending, and the reset goes at
 * once; waiting for `finish` then would wait for the reader.
 */
import type { Socket } from 'node:net';

export function resetSocket(socket: Socket): void {
  const shutdownPending = socket.writableEnded && !socket.writableFinished && socket.writableLength === 0;
  if (shutdownPending) socket.once('finish', () => socket.resetAndDestroy());
  else socket.resetAndDestroy();
}
