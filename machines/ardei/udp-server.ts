/**
 * One UDP peer of ardei's server (seed 000): each datagram is a request,
 * answered like the TCP server's: an echo or error datagram; `file_prepared`
 * then the "file" in datagrams of 1024 bytes (UDP_DATA_SIZE); or a stream, one
 * datagram per segment. Generated data is paced (a burst of datagrams, then
 * a short pause) so that a loopback receiver is not overrun: UDP would drop
 * the excess silently. The peer's machine lives until it has been quiet for
 * the idle time.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import { outcomeFrom } from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type SessionRequest, type WireCommand, type WireEvent } from '../../src/engine/protocol';
import { FILE_PREPARED, UDP_DATA_SIZE, echoOf, parseArdeiRequest, segmentOf, type ArdeiRequest } from './codec';
import { streamsSegments } from './stream-states';

export interface ArdeiUdpServerInput {
  /** Datagrams of generated data sent before each pause. */
  burst: number;
  /** The pause, in milliseconds. */
  paceMs: number;
}

type ArdeiUdpOutcome = 'open' | 'served';

interface Context extends ArdeiUdpServerInput {
  request: ArdeiRequest;
  fileLeft: number;
  segmentsLeft: number;
  requests: number;
  outcome: ArdeiUdpOutcome;
  detail?: string;
  bytes: number;
}

type Event = BytesFrame | WireEvent;

const output = outcomeFrom<ArdeiUdpOutcome>(['served']);
const is = (kind: ArdeiRequest['kind']) => ({ context }: { context: Context }) => context.request.kind === kind;
const stream = (context: Context) => context.request as Extract<ArdeiRequest, { kind: 'stream' }>;
const textReply = (request: ArdeiRequest) => (request.kind === 'echo' ? echoOf(request.text) : Buffer.from((request as { message: string }).message));

export function createArdeiUdpServer() {
  return setup({
    types: { context: {} as Context, input: {} as ArdeiUdpServerInput, events: {} as Event, emitted: {} as WireCommand | SessionRequest, output: {} as SessionOutcome },
    actions: {
      write: emit((_, params: { bytes: Buffer }) => ({ type: 'wire.write' as const, bytes: params.bytes })),
      flush: emit({ type: 'wire.flush' as const }),
      announce: emit(({ context }) => ({ type: 'session.request' as const, summary: `request ${context.requests}: ${context.request.kind}` })),
      takeRequest: assign(({ context }, params: { bytes: Buffer }) => ({ request: parseArdeiRequest(params.bytes), requests: context.requests + 1 })),
      sendBurst: enqueueActions(({ context, enqueue }) => {
        let left = context.fileLeft;
        for (let sent = 0; sent < context.burst && left > 0; sent++) {
          const size = Math.min(left, UDP_DATA_SIZE);
          enqueue.emit({ type: 'wire.write', bytes: segmentOf(size) });
          left -= size;
        }
        enqueue.assign({ fileLeft: left, bytes: context.bytes + context.fileLeft - left });
        enqueue.emit({ type: 'wire.flush' });
      }),
      writeSegment: emit(({ context }) => ({ type: 'wire.write' as const, bytes: segmentOf(stream(context).size) })),
      countSegment: assign(({ context }) => ({ segmentsLeft: context.segmentsLeft - 1, bytes: context.bytes + stream(context).size })),
    },
    guards: { isFile: is('file'), isStream: is('stream'), fileLeft: ({ context }) => context.fileLeft > 0, segmentsLeft: ({ context }) => context.segmentsLeft > 0 },
    delays: { pace: ({ context }) => context.paceMs, interval: ({ context }) => stream(context).intervalMs },
  }).createMachine({
    id: 'ardei-udp-server',
    context: ({ input }) => ({ ...input, request: { kind: 'error', message: '' }, fileLeft: 0, segmentsLeft: 0, requests: 0, outcome: 'open', bytes: 0 }),
    initial: 'wait_request',
    on: { 'socket.error': '.peer_quiet' },
    states: {
      wait_request: {
        tags: READING_TAG,
        on: {
          'frame.bytes': { target: 'check_request', actions: [{ type: 'takeRequest', params: ({ event }) => ({ bytes: event.bytes }) }, 'announce'] },
          'socket.end': 'peer_quiet',
        },
      },
      check_request: {
        always: [
          { guard: 'isFile', target: 'sending_file', actions: [{ type: 'write', params: { bytes: FILE_PREPARED } }, assign({ fileLeft: ({ context }) => (context.request as { size: number }).size })] },
          { guard: 'isStream', target: 'streaming', actions: assign({ segmentsLeft: ({ context }) => stream(context).count }) },
          { target: 'wait_request', actions: { type: 'write', params: ({ context }) => ({ bytes: textReply(context.request) }) } },
        ],
      },
      sending_file: {
        entry: 'sendBurst',
        on: { 'wire.flushed': [{ guard: 'fileLeft', target: 'pacing' }, { target: 'wait_request' }] },
      },
      pacing: { after: { pace: 'sending_file' } },
      streaming: { ...streamsSegments('#ardei-udp-server.wait_request') },
      peer_quiet: { type: 'final', entry: assign({ outcome: 'served', detail: ({ context }) => `${context.requests} request(s)` }) },
    },
    output: ({ context }) => output(context),
  });
}
