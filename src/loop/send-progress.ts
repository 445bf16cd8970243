/**
 * Tells when the peer takes bytes we sent: every `POLL_MS` while some of what
 * the kernel accepted is unacknowledged, it reads the socket's send queue and
 * calls `onProgress` if the peer acknowledged more than before. A client's
 * last write is done once the kernel has it, yet megabytes may then drain over
 * a slow link; this is how its idle timer learns that they still move. A peer
 * that stops reading acknowledges nothing, so it still times out.
 */
import type { Socket } from 'node:net';
import { unacknowledgedBytes } from './tcp-table';

const POLL_MS = 250;

/** Starts watching; the returned function stops it. Where the system does not tell (not Linux), it stops by itself. */
export function watchSendProgress(socket: Socket, onProgress: () => void): () => void {
  let acknowledged = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Bytes the kernel has accepted: Node counts a write as written once it is handed over.
  const accepted = () => socket.bytesWritten - socket.writableLength;

  const poll = async () => {
    const before = accepted();
    if (before > acknowledged) {
      const unacknowledged = await unacknowledgedBytes(socket);
      if (stopped) return;
      if (unacknowledged === undefined) return;
      // A write accepted while the table was read would make the sample mean nothing: take the next.
      if (accepted() === before && before - unacknowledged > acknowledged) {
        acknowledged = before - unacknowledged;
        onProgress();
      }
    }
    timer = setTimeout(() => void poll(), POLL_MS).unref();
  };
  timer = setTimeout(() => void poll(), POLL_MS).unref();

  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
