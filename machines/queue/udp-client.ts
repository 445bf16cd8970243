/**
 * The queue client over UDP (seed 001): `send` is one datagram with no reply;
 * `receive` sends `<<GET>>` and waits, for at most the receive timeout (the
 * original waited forever), for the one datagram that answers it.
 */
import { assign, setup } from 'xstate';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { wireActions } from '../../src/engine/wire-actions';
import { finishAction, interruptedOnSocketError } from '../../src/engine/outcome';
import { clientContext, startByMode } from './client-states';
import { GET, isEmptyReply, type QueueDatagram } from './codec';
import { overMaxSize, toSessionOutcome, type QueueCode, type QueueOutcome } from './outcome';
import type { QueueClientInput } from './tcp-client';
import { PEER_IDLE_EVENT } from '../../src/engine/idle';

interface Context extends QueueClientInput {
  message: Buffer;
  outcome: QueueOutcome;
  code?: QueueCode;
  detail?: string;
  bytes: number;
}

type Event = QueueDatagram | WireEvent;

export function createQueueUdpClient(message: Buffer) {
  return setup({
    types: {
      context: {} as Context,
      input: {} as QueueClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      finish: assign(finishAction<QueueOutcome, QueueCode>()),
    },
    guards: {
      sending: ({ context }) => context.mode === 'send',
      emptyReply: (_, params: { bytes: Buffer }) => isEmptyReply(params.bytes, 'udp'),
      overMaxSize: ({ context }, params: { bytes: Buffer }) => params.bytes.length > context.maxMessage,
    },
  }).createMachine({
    id: 'queue-udp-client',
    context: clientContext(message),
    initial: 'start',
    on: interruptedOnSocketError,
    states: {
      start: startByMode,
      send_message: {
        on: {
          'wire.flushed': {
            target: 'message_sent',
            actions: [
              assign({ bytes: ({ context }) => context.message.length }),
              { type: 'finish', params: { outcome: 'sent', code: 'ok' } },
            ],
          },
        },
      },
      message_sent: { type: 'final' },
      request_message: {
        entry: [{ type: 'write', params: { bytes: GET } }, 'flush'],
        on: { 'wire.flushed': 'wait_reply' },
      },
      wait_reply: {
        tags: READING_TAG,
        on: {
          [PEER_IDLE_EVENT]: {
            target: 'failed',
            actions: {
              type: 'finish',
              params: { outcome: 'timed_out', code: 'peer.idle', detail: 'no reply from the server' },
            },
          },
          'frame.datagram': [
            {
              guard: { type: 'emptyReply', params: ({ event }) => ({ bytes: event.bytes }) },
              target: 'message_received',
              actions: [
                assign({ message: ({ event }) => event.bytes }),
                { type: 'finish', params: { outcome: 'queue_empty', code: 'queue.empty' } },
              ],
            },
            {
              // The one datagram is the message, out of the queue: over --max-size, it is kept by no one.
              guard: { type: 'overMaxSize', params: ({ event }) => ({ bytes: event.bytes }) },
              target: 'failed',
              actions: { type: 'finish', params: ({ context }) => overMaxSize(context.maxMessage) },
            },
            {
              target: 'message_received',
              actions: [
                assign({ message: ({ event }) => event.bytes, bytes: ({ event }) => event.bytes.length }),
                { type: 'finish', params: { outcome: 'received', code: 'ok' } },
              ],
            },
          ],
        },
      },
      message_received: { type: 'final' },
      failed: { type: 'final' },
    },
    output: ({ context }) => toSessionOutcome(context),
  });
}
