/**
 * Moves bytes from one socket to another in random fragments with random
 * small delays, in order and without loss. End of stream is passed on once
 * every byte is through; a reset is passed on at once, also one that libuv
 * reports as an end (see peer-reset.ts) and one that comes while reading is paused.
 */
import type { Socket } from 'node:net';
import { ByteQueue } from '../engine/byte-queue';
import { peerReset } from '../loop/peer-reset';

export interface StammerOptions {
  maxFragment: number;
  maxDelayMs: number;
  random: () => number;
  /** Called for each fragment as it is sent, for logging. */
  onFragment?: (bytes: number, delayMs: number) => void;
  /** Called with every chunk as it arrives from `from`, for recording. */
  onChunk?: (chunk: Buffer) => void;
  /** Changes a chunk after it is recorded and before it is passed on (`--corrupt-after`). */
  alter?: (chunk: Buffer) => Buffer;
  /** Called when `from` is reset (or fails), before the reset is passed on to `to`. */
  onReset?: () => void;
}

/** Bytes held before the source is paused; it is read again once fewer are held. */
const HIGH_WATER = 64 * 1024;

/**
 * How often a source that has bytes waiting (held here, or unread in the kernel while reading is paused) is
 * asked whether it was reset: libuv reports the reset only once it has read every byte before it, so it would
 * wait behind all of them, relayed at the link's pace. One getpeername per such socket per period.
 */
const RESET_CHECK_MS = 200;

export function stammer(from: Socket, to: Socket, options: StammerOptions): void {
  const queue = new ByteQueue();
  let ended = false;
  let busy = false;
  let resetCheck: NodeJS.Timeout | undefined;

  // Watched from the first pause until every held byte is through: not stopped at each resume, since a source
  // read again as soon as the queue drains below HIGH_WATER would otherwise never be asked.
  const pauseSource = () => {
    from.pause();
    resetCheck ??= setInterval(() => {
      if (!from.writableEnded && peerReset(from)) passResetOn();
    }, RESET_CHECK_MS);
  };
  const stopResetCheck = () => {
    clearInterval(resetCheck);
    resetCheck = undefined;
  };

  const sendNext = () => {
    if (busy || to.destroyed) return;
    // Read on as soon as there is room, as a slow link takes bytes while it passes them on.
    if (queue.length <= HIGH_WATER && from.isPaused()) from.resume();
    if (queue.length === 0) {
      stopResetCheck();
      if (ended) to.end();
      return;
    }
    busy = true;
    const size = Math.min(queue.length, 1 + Math.floor(options.random() * options.maxFragment));
    const delay = Math.floor(options.random() * (options.maxDelayMs + 1));
    const send = () => {
      if (to.destroyed) return;
      const fragment = queue.take(size);
      options.onFragment?.(fragment.length, delay);
      const flowing = to.write(fragment);
      busy = false;
      if (flowing) sendNext();
      else to.once('drain', sendNext);
    };
    if (delay > 0) setTimeout(send, delay);
    else setImmediate(send);
  };

  from.on('data', (chunk: Buffer) => {
    options.onChunk?.(chunk);
    queue.push(options.alter ? options.alter(chunk) : chunk);
    if (queue.length > HIGH_WATER) pauseSource();
    sendNext();
  });
  function passResetOn() {
    stopResetCheck();
    options.onReset?.();
    queue.clear();
    if (!to.destroyed) to.resetAndDestroy();
    from.destroy();
  }
  // A reset that arrives while bytes wait unread (the proxy paused reading) reaches us as an end: the kernel
  // tells which it was while our side towards `from` is open. Once we have ended it, a FIN closes the socket
  // as a reset does, so the end is then taken as it came.
  from.on('end', () => {
    if (!from.writableEnded && peerReset(from)) {
      passResetOn();
      return;
    }
    ended = true;
    sendNext();
  });
  from.on('error', passResetOn);
  from.on('close', stopResetCheck);
}
