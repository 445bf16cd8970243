/**
 * How bulk bytes move, shared by both machines because the server's download
 * is the client's upload and vice versa: the file source onto the wire with
 * the socket's backpressure, and DATA frames into the file sink with the disk's.
 */
import { BULK_TAG, FLOW_CONTROL_TAG, READING_TAG } from '../../src/engine/protocol';
import type { TransferOutcome } from './outcome';

const chunkOf = ({ event }: { event: { chunk: Buffer } }) => ({ chunk: event.chunk });

/** Transitions that stream the file source onto the wire, pausing it while the socket is full. */
export const sendFromSource = {
  'file.chunk': {
    actions: [
      { type: 'write' as const, params: ({ event }: { event: { chunk: Buffer } }) => ({ bytes: event.chunk }) },
      { type: 'countBytes' as const, params: chunkOf },
    ],
  },
  'wire.full': { actions: 'pauseSource' as const },
  'wire.drain': { actions: 'resumeSource' as const },
};

/** States that read DATA into the sink while the disk keeps up, then commit. `storedTarget` is where to go once the file is committed, with `outcome` recorded. */
export function receiveIntoSink(storedTarget: string, outcome: TransferOutcome) {
  return {
    initial: 'receiving' as const,
    states: {
      receiving: {
        tags: [READING_TAG, BULK_TAG],
        on: {
          'frame.data': { actions: [{ type: 'forwardChunk' as const, params: chunkOf }, { type: 'countBytes' as const, params: chunkOf }] },
          'file.full': 'disk_busy',
          'frame.data_end': { target: 'storing', actions: 'commit' as const },
        },
      },
      disk_busy: { tags: [FLOW_CONTROL_TAG, BULK_TAG], on: { 'file.drain': 'receiving' } },
      storing: { on: { 'file.stored': { target: storedTarget, actions: { type: 'finish' as const, params: { outcome } } } } },
    },
  };
}
