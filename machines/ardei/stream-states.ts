/**
 * How both of ardei's servers send a stream: a segment after each interval
 * until `count` have gone (none for a count of 0), pausing while the socket is full. The machine
 * provides `writeSegment` and `countSegment`, the `segmentsLeft` guard and
 * the `interval` delay.
 */
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
