/**
 * Tells when the peer takes bytes we sent: every so often while some of what
 * the kernel accepted is unacknowledged, it reads the socket's send queue and
 * calls `onProgress` if the peer acknowledged more than before. A client's
 * last write is done once the kernel has it, yet megabytes may then drain over
 * a slow link; this is how its idle timer learns that they still move, and its
 * progress bar how many have left. A peer that stops reading acknowledges
 * nothing, so it still times out.
 */
import type { Socket } from 'node:net';
import { unacknowledgedBytes } from './tcp-table';

/** How often a client looks: its progress bar follows. */
export const CLIENT_POLL_MS = 250;
/**
 * How often a server looks: only its idle watchdog needs to hear that a slow reader still takes bytes (a socket
 * whose send buffer is full says it has room again only once much of it has drained: minutes at a few KB/s).
 */
export const SERVER_POLL_MS = 1000;

export interface SendProgress {
  /** Bytes sent that the peer has acknowledged, as the last look found. */
  acknowledged(): number;
  stop(): void;
}

/**
 * Starts watching, every `everyMs`. `onProgress` gets the bytes handed to the socket that the peer has not
 * acknowledged yet. Where the system does not tell (not Linux), bytes the kernel took count as acknowledged.
 */
export function watchSendProgress(
  socket: Socket,
  everyMs: number,
  onProgress: (waiting: number) => void,
): SendProgress {
  let acknowledged = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let tells = true;
  // Bytes the kernel has accepted: Node counts a write as written once it is handed over.
  const accepted = () => socket.bytesWritten - socket.writableLength;

  const poll = async () => {
    const before = accepted();
    if (before > acknowledged) {
      const unacknowledged = tells ? await unacknowledgedBytes(socket) : 0;
      if (stopped) return;
      if (unacknowledged === undefined) tells = false;
      // The bytes in `before` were in the kernel before the table was read, and the table counts every byte there not
      // yet acknowledged, with any taken since: so at least `before - unacknowledged` are acknowledged, also while
      // writes go on (a fast upload, which a sample taken only between writes would leave at 0 for its whole length).
      else if (before - unacknowledged > acknowledged) {
        acknowledged = before - unacknowledged;
        onProgress(socket.bytesWritten - acknowledged);
      }
    }
    timer = setTimeout(() => void poll(), untilNextTick()).unref();
  };
  // On the same ticks for every socket (multiples of everyMs): their looks share one read of the table (tcp-table.ts).
  const untilNextTick = () => everyMs - (performance.now() % everyMs);
  // The first look skips the tick that falls within the socket's first interval: a connection that lives a few
  // milliseconds (a small request) would otherwise make a busy server read the whole table, thousands of
  // TIME_WAIT rows (4 MB, 50 ms with 26k rows), about every second, for nothing.
  timer = setTimeout(() => void poll(), untilNextTick() + everyMs).unref();

  return {
    acknowledged: () => acknowledged,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
