/**
 * How both of ardei's servers send a stream: a segment after each interval
 * until `count` have gone, pausing while the socket is full. The machine
 * provides `writeSegment` and `countSegment`, the `segmentsLeft` guard and
 * the `interval` delay.
 */
import { FLOW_CONTROL_TAG } from '../../src/engine/protocol';

export function streamsSegments(doneTarget: string) {
  return {
    initial: 'waiting' as const,
    states: {
      waiting: {
        after: { interval: 'sending' },
        on: { 'wire.full': 'socket_full' },
      },
      sending: {
        entry: ['writeSegment' as const, 'countSegment' as const],
        always: [{ guard: 'segmentsLeft' as const, target: 'waiting' }, { target: doneTarget }],
      },
      socket_full: { tags: FLOW_CONTROL_TAG, on: { 'wire.drain': 'waiting' } },
    },
  };
}
