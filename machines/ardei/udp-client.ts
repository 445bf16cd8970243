/**
 * Ardei's client over UDP: one request datagram, then the replies. A text
 * reply is one datagram. A "file" is `file_prepared` then data datagrams, and
 * a stream is one datagram per segment; UDP has no end marker, so the client
 * stops once everything asked for has come or after a silence (2 s, as the
 * original), and the caller reports what is missing as lost.
 */
import { assign, setup } from 'xstate';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import { PEER_IDLE_EVENT, restartsIdle } from '../../src/engine/idle';
import { finishAction, interruptedOnSocketError, outcomeFrom } from '../../src/engine/outcome';
import {
  BULK_TAG,
  READING_TAG,
  type SessionOutcome,
  type WireEvent,
  type MachineEmitted,
} from '../../src/engine/protocol';
import { wireActions } from '../../src/engine/wire-actions';
import { FILE_PREPARED, parseArdeiRequest } from './codec';
import type { ArdeiClientCode, ArdeiClientInput, ArdeiClientOutcome } from './tcp-client';
import { extended } from '../../src/engine/extended';

export interface ArdeiUdpClientInput extends ArdeiClientInput {
  /** Silence after which no more data is expected. */
  silenceMs: number;
}

interface Context extends ArdeiUdpClientInput {
  head: Buffer;
  datagrams: number;
  outcome: ArdeiClientOutcome;
  code?: ArdeiClientCode;
  detail?: string;
  bytes: number;
}

type Event = BytesFrame | WireEvent;

const output = outcomeFrom<ArdeiClientOutcome>(['received']);
const asked = (context: Context) => parseArdeiRequest(Buffer.from(context.request));

export function createArdeiUdpClient() {
  return setup({
    types: {
      context: {} as Context,
      input: {} as ArdeiUdpClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      finish: assign(finishAction<ArdeiClientOutcome, ArdeiClientCode>()),
      take: assign(({ context }, params: { bytes: Buffer }) => ({
        head: context.head.length === 0 ? params.bytes.subarray(0, context.keep) : context.head,
        bytes: context.bytes + params.bytes.length,
        datagrams: context.datagrams + 1,
      })),
    },
    guards: {
      prepared: ({ context }, params: { bytes: Buffer }) =>
        asked(context).kind === 'file' && params.bytes.equals(FILE_PREPARED),
      expectsStream: ({ context }) => asked(context).kind === 'stream',
      allArrived: ({ context }) => {
        const request = asked(context);
        return (
          (request.kind === 'file' && context.bytes >= request.size) ||
          (request.kind === 'stream' && context.datagrams >= request.count)
        );
      },
    },
    delays: { silence: ({ context }) => context.silenceMs },
  }).createMachine({
    id: 'ardei-udp-client',
    context: ({ input }) => extended(input, { head: Buffer.alloc(0), datagrams: 0, outcome: 'open', bytes: 0 }),
    initial: 'send_request',
    on: interruptedOnSocketError,
    states: {
      send_request: {
        entry: [{ type: 'write', params: ({ context }) => ({ bytes: Buffer.from(context.request) }) }, 'flush'],
        on: { 'wire.flushed': 'wait_reply' },
      },
      wait_reply: {
        tags: READING_TAG,
        on: {
          [PEER_IDLE_EVENT]: {
            target: 'failed',
            actions: {
              type: 'finish',
              params: { outcome: 'timed_out', code: 'peer.idle', detail: 'no answer from the server' },
            },
          },
          'frame.bytes': [
            { guard: { type: 'prepared', params: ({ event }) => ({ bytes: event.bytes }) }, target: 'receiving_data' },
            {
              guard: 'expectsStream',
              target: 'receiving_data',
              actions: { type: 'take', params: ({ event }) => ({ bytes: event.bytes }) },
            },
            {
              target: 'reply_received',
              actions: [
                { type: 'take', params: ({ event }) => ({ bytes: event.bytes }) },
                { type: 'finish', params: { outcome: 'received', code: 'ok' } },
              ],
            },
          ],
        },
      },
      receiving_data: {
        tags: [READING_TAG, BULK_TAG],
        always: {
          guard: 'allArrived',
          target: 'reply_received',
          actions: { type: 'finish', params: { outcome: 'received', code: 'ok' } },
        },
        after: {
          silence: {
            target: 'reply_received',
            actions: {
              type: 'finish',
              params: { outcome: 'received', code: 'reply.incomplete', detail: 'stopped after a silence' },
            },
          },
        },
        on: {
          'frame.bytes': {
            target: 'receiving_data',
            reenter: true,
            actions: [{ type: 'take', params: ({ event }) => ({ bytes: event.bytes }) }, restartsIdle],
          },
        },
      },
      reply_received: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  });
}
