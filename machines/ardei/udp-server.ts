/**
 * One UDP peer of ardei's server (seed 000): each datagram is a request,
 * answered like the TCP server's: an echo or error datagram; `file_prepared`
 * then the "file" in datagrams of 1024 bytes (UDP_DATA_SIZE); or a stream, one
 * datagram per segment. Generated data is paced (a burst of datagrams, then
 * a short pause) so that a loopback receiver is not overrun: UDP would drop
 * the excess silently. Since UDP lets anyone forge the address a reply goes
 * to, a file or stream is sent only when it is at most `maxReply` bytes and
 * the `reserve` actor grants it from that address's budget; otherwise a
 * one-line error goes instead. Every one-datagram reply (echo, error, refusal)
 * is charged to the same budget too, and not sent when it is spent. The peer's machine lives until it has been
 * quiet for the idle time.
 */
import { assign, emit, enqueueActions, fromPromise, setup } from 'xstate';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import { outcomeFrom } from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { FILE_PREPARED, UDP_DATA_SIZE, echoOf, parseArdeiRequest, segmentOf, type ArdeiRequest } from './codec';
import { streamsSegments } from './stream-states';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { extended } from '../../src/engine/extended';

export interface ArdeiUdpServerInput {
  /** Datagrams of generated data sent before each pause. */
  burst: number;
  /** The pause, in milliseconds. */
  paceMs: number;
  /** The most bytes of file or stream data one request gets (0: no limit). */
  maxReply: number;
}

/** The server's defaults: bursts of 16 datagrams 1 ms apart; 64 KiB of data at most a request. */
export const ARDEI_UDP_DEFAULTS: ArdeiUdpServerInput = { burst: 16, paceMs: 1, maxReply: 64 * 1024 };
/** Bytes a second that may go to one address by default: 1 MiB. */
export const ARDEI_UDP_MAX_RATE = 1024 * 1024;

/**
 * What a request's data costs: its bytes, each stream segment counted as at least 64 (an empty datagram
 * still takes a frame on the wire). 0 for a text reply.
 */
export function replyCost(request: ArdeiRequest): number {
  if (request.kind === 'file') return request.size;
  if (request.kind === 'stream') return request.count * Math.max(request.size, 64);
  return 0;
}

type ArdeiUdpOutcome = 'open' | 'served';
/** A UDP peer's session ends only when the peer goes quiet: served, whatever it asked. */
type ArdeiUdpCode = 'ok';

interface Context extends ArdeiUdpServerInput {
  request: ArdeiRequest;
  fileLeft: number;
  segmentsLeft: number;
  requests: number;
  outcome: ArdeiUdpOutcome;
  code?: ArdeiUdpCode;
  detail?: string;
  bytes: number;
  /** A one-datagram reply waiting for the budget: an echo, an error, or a refusal (with why, for the log). */
  text: { bytes: Buffer; refusal?: string };
}

type Event = BytesFrame | WireEvent;

const OVER_RATE = {
  reason: 'over the UDP rate limit for its address',
  text: "Error: over this server's UDP rate limit for your address; try again in a second",
};
const output = outcomeFrom<ArdeiUdpOutcome>(['served']);
const is =
  (kind: ArdeiRequest['kind']) =>
  ({ context }: { context: Context }) =>
    context.request.kind === kind;
const stream = (context: Context) => context.request as Extract<ArdeiRequest, { kind: 'stream' }>;
const textReply = (request: ArdeiRequest) =>
  request.kind === 'echo' ? echoOf(request.text) : Buffer.from((request as { message: string }).message);

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'wait_request';
const MACHINE_ID = 'ardei-udp-server';
const at = targetsIn<Targeted>()(MACHINE_ID);

export function createArdeiUdpServer() {
  const machine = setup({
    types: {
      context: {} as Context,
      input: {} as ArdeiUdpServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      write: emit((_, params: { bytes: Buffer }) => ({ type: 'wire.write' as const, bytes: params.bytes })),
      flush: emit({ type: 'wire.flush' as const }),
      announce: emit(({ context }) => ({
        type: 'session.request' as const,
        summary: `request ${context.requests}: ${context.request.kind}`,
        operation: context.request.kind,
      })),
      takeRequest: assign(({ context }, params: { bytes: Buffer }) => ({
        request: parseArdeiRequest(params.bytes),
        requests: context.requests + 1,
      })),
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
      /** Holds a refusal for the budget. */
      refuse: assign((_, params: { reason: string; text: string }) => ({
        text: { bytes: Buffer.from(params.text), refusal: params.reason },
      })),
      sendText: enqueueActions(({ context, enqueue }) => {
        enqueue.emit({ type: 'wire.write', bytes: context.text.bytes });
        enqueue.assign({ bytes: context.bytes + context.text.bytes.length });
        if (context.text.refusal)
          enqueue.emit({
            type: 'session.request',
            summary: `request ${context.requests} refused: ${context.text.refusal}`,
          });
      }),
      dropText: emit(({ context }) => ({
        type: 'session.request' as const,
        summary: `request ${context.requests}: no reply, its ${context.text.bytes.length} bytes over the UDP rate limit`,
      })),
      writeSegment: emit(({ context }) => ({ type: 'wire.write' as const, bytes: segmentOf(stream(context).size) })),
      countSegment: assign(({ context }) => ({
        segmentsLeft: context.segmentsLeft - 1,
        bytes: context.bytes + stream(context).size,
      })),
    },
    actors: {
      /** Whether `bytes` more may go to this peer's address now; the server provides a budgeted one. */
      reserve: fromPromise<boolean, number>(async () => true),
    },
    guards: {
      sendsData: ({ context }) => replyCost(context.request) > 0,
      overReply: ({ context }) => context.maxReply > 0 && replyCost(context.request) > context.maxReply,
      isFile: is('file'),
      isStream: is('stream'),
      fileLeft: ({ context }) => context.fileLeft > 0,
      segmentsLeft: ({ context }) => context.segmentsLeft > 0,
    },
    delays: { pace: ({ context }) => context.paceMs, interval: ({ context }) => stream(context).intervalMs },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) =>
      extended(input, {
        request: { kind: 'error', message: '' },
        text: { bytes: Buffer.alloc(0) },
        fileLeft: 0,
        segmentsLeft: 0,
        requests: 0,
        outcome: 'open',
        bytes: 0,
      }),
    initial: 'wait_request',
    on: { 'socket.error': '.peer_quiet' },
    states: {
      wait_request: {
        tags: READING_TAG,
        on: {
          'frame.bytes': {
            target: 'check_request',
            actions: [{ type: 'takeRequest', params: ({ event }) => ({ bytes: event.bytes }) }, 'announce'],
          },
          'socket.end': 'peer_quiet',
        },
      },
      check_request: {
        always: [
          {
            guard: 'overReply',
            target: 'reserving_text',
            actions: {
              type: 'refuse',
              params: ({ context }) => ({
                reason: `${replyCost(context.request)} bytes, over the UDP limit of ${context.maxReply}`,
                text: `Error: this server sends at most ${context.maxReply} bytes a request over UDP; ask over TCP`,
              }),
            },
          },
          { guard: 'sendsData', target: 'reserving' },
          {
            target: 'reserving_text',
            actions: assign({ text: ({ context }) => ({ bytes: textReply(context.request) }) }),
          },
        ],
      },
      reserving_text: {
        invoke: {
          src: 'reserve',
          input: ({ context }) => context.text.bytes.length,
          onDone: [
            { guard: ({ event }) => event.output, target: 'wait_request', actions: 'sendText' },
            { target: 'wait_request', actions: 'dropText' },
          ],
          onError: { target: 'wait_request', actions: 'dropText' },
        },
      },
      reserving: {
        invoke: {
          src: 'reserve',
          input: ({ context }) => replyCost(context.request),
          onDone: [
            {
              guard: ({ event }) => !event.output,
              target: 'reserving_text',
              actions: { type: 'refuse', params: OVER_RATE },
            },
            {
              guard: 'isFile',
              target: 'sending_file',
              actions: [
                { type: 'write', params: { bytes: FILE_PREPARED } },
                assign({ fileLeft: ({ context }) => (context.request as { size: number }).size }),
              ],
            },
            { target: 'streaming', actions: assign({ segmentsLeft: ({ context }) => stream(context).count }) },
          ],
          onError: { target: 'reserving_text', actions: { type: 'refuse', params: OVER_RATE } },
        },
      },
      sending_file: {
        entry: 'sendBurst',
        on: { 'wire.flushed': [{ guard: 'fileLeft', target: 'pacing' }, { target: 'wait_request' }] },
      },
      pacing: { after: { pace: 'sending_file' } },
      streaming: { ...streamsSegments(at('wait_request')) },
      peer_quiet: {
        type: 'final',
        entry: assign({
          outcome: 'served',
          code: 'ok',
          detail: ({ context }) => `${context.requests} request${context.requests === 1 ? '' : 's'}`,
        }),
      },
    },
    output: ({ context }) => output(context),
  });
  return checkTargets<Targeted>()(machine);
}
