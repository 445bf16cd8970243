/**
 * How bulk bytes move, shared by every protocol that moves files because a
 * server's download is its client's upload and vice versa: the file source
 * onto the wire with the socket's backpressure, and `frame.data` chunks (up to
 * `frame.data_end`, as the protocol's decoder frames them) into the file sink
 * with the disk's. Each chunk re-enters its leaf state, which restarts the idle
 * timer: a transfer that is moving is never cut, one that stalls is.
 */
import { BULK_TAG, FLOW_CONTROL_TAG, READING_TAG } from './protocol';

const chunkOf = ({ event }: { event: { chunk: Buffer } }) => ({ chunk: event.chunk });

/** A state that waits for the peer: after the idle timeout with nothing from it, the connection fails. */
export function waitsForPeer(failedTarget: string) {
  return {
    after: {
      idle: { target: failedTarget, actions: { type: 'finish' as const, params: { outcome: 'timed_out' as const, detail: 'nothing from the peer for the idle timeout' } } },
    },
  };
}

/** Streams the file source onto the wire, pausing it while the socket is full. Goes inside the state that invokes `source`. */
export function sendFromSource(failedTarget: string) {
  return {
    initial: 'sending' as const,
    on: {
      'wire.full': { actions: 'pauseSource' as const },
      'wire.drain': { actions: 'resumeSource' as const },
    },
    states: {
      sending: {
        tags: BULK_TAG,
        ...waitsForPeer(failedTarget),
        on: {
          'file.chunk': {
            target: 'sending',
            reenter: true,
            actions: [
              { type: 'write' as const, params: ({ event }: { event: { chunk: Buffer } }) => ({ bytes: event.chunk }) },
              { type: 'countBytes' as const, params: chunkOf },
            ],
          },
        },
      },
    },
  };
}

/** Reads DATA into the sink while the disk keeps up, then commits; once stored, goes to `storedTarget` with `outcome`. */
export function receiveIntoSink<Outcome extends string>(storedTarget: string, outcome: Outcome, failedTarget: string) {
  return {
    initial: 'receiving' as const,
    states: {
      receiving: {
        tags: [READING_TAG, BULK_TAG],
        ...waitsForPeer(failedTarget),
        on: {
          'frame.data': {
            target: 'receiving',
            reenter: true,
            actions: [{ type: 'forwardChunk' as const, params: chunkOf }, { type: 'countBytes' as const, params: chunkOf }],
          },
          'file.full': 'disk_busy',
          'frame.data_end': { target: 'storing', actions: 'commit' as const },
        },
      },
      disk_busy: { tags: [FLOW_CONTROL_TAG, BULK_TAG], on: { 'file.drain': 'receiving' } },
      storing: { on: { 'file.stored': { target: storedTarget, actions: { type: 'finish' as const, params: { outcome } } } } },
    },
  };
}
