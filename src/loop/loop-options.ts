/**
 * The loop's own limits, with the values it has always used as defaults. They bound memory and
 * waiting per connection whatever the protocol; `serve()` passes them to every server it starts.
 */
export interface LoopOptions {
  /** Bytes of frames a TCP connection's machine is not reading yet that may queue before its socket pauses. */
  maxBufferedBytes: number;
  /** How long a TCP connection whose machine has finished waits for the peer to close before it is dropped. */
  lingerMs: number;
  /** How long a machine may go on with local work (a commit) once both sides of its TCP socket have closed cleanly. */
  localWorkMs: number;
  /** Bytes of datagrams a UDP peer may have waiting for its machine; more are dropped, as a full UDP buffer would. */
  maxQueuedDatagramBytes: number;
}

export const DEFAULT_LOOP_OPTIONS: LoopOptions = {
  maxBufferedBytes: 256 * 1024,
  lingerMs: 5_000,
  localWorkMs: 30_000,
  maxQueuedDatagramBytes: 1024 * 1024,
};
