/**
 * How both of ardei's servers send a stream: a segment after each interval
 * until `count` have gone (none for a count of 0), pausing while the socket is full. The machine
 * provides `writeSegment` and `countSegment`, the `segmentsLeft` guard and
 * the `interval` delay.
 */
import { peerIdleFails, rearmedByProgress } from '../../src/engine/bulk-states';
import { FLOW_CONTROL_TAG } from '../../src/engine/protocol';
import type { StateTarget } from '../../src/engine/state-targets';

export function streamsSegments(doneTarget: StateTarget) {
  return {
    initial: 'next_segment' as const,
    states: {
      next_segment: { always: [{ guard: 'segmentsLeft' as const, target: 'waiting' }, { target: doneTarget }] },
      waiting: {
        after: { interval: 'sending' },
        on: { 'wire.full': 'socket_full' },
      },
      sending: {
        entry: ['writeSegment' as const, 'countSegment' as const],
        always: 'next_segment',
      },
      socket_full: { tags: FLOW_CONTROL_TAG, on: { 'wire.drain': 'waiting' } },
    },
  };
}

/**
 * The same over TCP, where a full socket waits on the reader: one that takes nothing more for the idle timeout (each
 * acknowledgement, the loop's `wire.progress`, starts the idle watchdog over) fails the stream at `failedTarget`, as
 * a stalled file does.
 */
export function streamsSegmentsToReader(doneTarget: StateTarget, failedTarget: StateTarget) {
  const stream = streamsSegments(doneTarget);
  const { socket_full: full } = stream.states;
  return {
    ...stream,
    states: {
      ...stream.states,
      socket_full: { ...full, on: { ...peerIdleFails(failedTarget), ...full.on, ...rearmedByProgress('socket_full') } },
    },
  };
}
