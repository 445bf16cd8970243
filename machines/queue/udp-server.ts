/**
 * One UDP peer of the queue server (seed 001): each datagram is a request. A
 * `<<GET>>` gets one datagram back (the oldest message, or `Error: No
 * messages.`); anything else is queued whole, with no reply. The peer's
 * machine lives until the peer has been quiet for the idle time.
 */
import { assign, setup } from 'xstate';
import { required } from '../../src/engine/required';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { wireActions } from '../../src/engine/wire-actions';
import { EMPTY_UDP, isGet, type QueueDatagram } from './codec';
import { refusal } from './refusal';
import { storeDeclarations, type StoreContext } from './store-effects';
import { takeThenSend } from './take-message';
import type { QueueServerInput } from './tcp-server';
import type { QueueCode } from './outcome';
import { extended } from '../../src/engine/extended';
import { answerDone, answerError, answerFailed, type AnswerSettled } from '../../src/engine/step-answer';

interface Context extends QueueServerInput, StoreContext {
  request: Buffer;
  stored: number;
  delivered: number;
  refused: number;
  bytes: number;
}

type Event = QueueDatagram | WireEvent | AnswerSettled;

/** One UDP peer of the queue server; its store comes through `provide` (store-effects.ts). */
export const queueUdpServerMachine = setup({
  types: {
    context: {} as Context,
    input: {} as QueueServerInput,
    events: {} as Event,
    emitted: {} as MachineEmitted,
    output: {} as SessionOutcome,
  },
  actions: {
    ...wireActions<Context, Event>(),
    ...storeDeclarations<Context, Event>(),
    countRefused: assign({ refused: ({ context }) => context.refused + 1 }),
    /** The taken message went out to the peer. */
    countDelivered: assign({
      delivered: ({ context }) => context.delivered + 1,
      bytes: ({ context }) => context.bytes + required(context.taken, 'taken message').bytes.length,
    }),
  },
  guards: {
    isGet: (_, params: { bytes: Buffer }) => isGet(params.bytes),
    overCap: ({ context }, params: { bytes: Buffer }) => params.bytes.length > context.maxMessage,
    answerDone,
    answerFailed,
  },
}).createMachine({
  id: 'queue-udp-server',
  context: ({ input }) => extended(input, { request: Buffer.alloc(0), stored: 0, delivered: 0, refused: 0, bytes: 0 }),
  initial: 'wait_request',
  states: {
    wait_request: {
      tags: READING_TAG,
      on: {
        'frame.datagram': [
          {
            guard: { type: 'isGet', params: ({ event }) => ({ bytes: event.bytes }) },
            target: 'dequeue',
            actions: { type: 'announce', params: { summary: 'receive', operation: 'receive' } },
          },
          {
            guard: { type: 'overCap', params: ({ event }) => ({ bytes: event.bytes }) },
            target: 'wait_request',
            reenter: true,
            actions: [
              'countRefused',
              {
                type: 'announce',
                params: ({ context, event }) => ({
                  operation: 'send',
                  summary: `send of ${event.bytes.length} B refused: over the ${context.maxMessage}-byte cap`,
                }),
              },
            ],
          },
          {
            target: 'enqueue',
            actions: [
              assign({ request: ({ event }) => event.bytes }),
              {
                type: 'announce',
                params: ({ event }) => ({ operation: 'send', summary: `send of ${event.bytes.length} B` }),
              },
            ],
          },
        ],
        'socket.end': 'peer_quiet',
        'socket.error': 'peer_quiet',
      },
    },
    enqueue: {
      // The store answers within this step (in memory) or once the message is synced (--store): `answer.settled`.
      entry: { type: 'askEnqueue', params: ({ context }) => ({ bytes: context.request }) },
      on: { 'answer.settled': { actions: 'keepAnswer' } },
      always: [
        {
          guard: 'answerFailed',
          target: 'wait_request',
          actions: [
            'countRefused',
            {
              type: 'announce',
              params: ({ context }) => ({
                operation: 'send',
                summary: `send of ${context.request.length} B refused: ${refusal(answerError(context.answer))}`,
              }),
            },
          ],
        },
        {
          guard: 'answerDone',
          target: 'wait_request',
          actions: assign({
            stored: ({ context }) => context.stored + 1,
            bytes: ({ context }) => context.bytes + context.request.length,
          }),
        },
      ],
    },
    dequeue: takeThenSend(
      {
        // The store could not read the message (an I/O error): no reply, as a lost datagram; logged and counted.
        target: 'wait_request',
        actions: [
          'countRefused',
          {
            type: 'announce',
            params: ({ context }) => ({
              operation: 'receive',
              summary: `receive refused: ${refusal(answerError(context.answer))}`,
            }),
          },
        ],
      },
      { target: 'wait_request', actions: { type: 'write', params: { bytes: EMPTY_UDP } } },
    ),
    send_message: {
      on: {
        'wire.flushed': 'confirm_delivery',
        'socket.error': { target: 'peer_quiet', actions: 'restore' },
      },
    },
    confirm_delivery: {
      entry: 'askConfirm',
      on: { 'answer.settled': { actions: 'keepAnswer' } },
      always: [
        {
          // The datagram went, but the store kept the record (a full or failing disk): asked again with the next
          // delivery (message-queue.ts), and delivered again by a restart before that.
          guard: 'answerFailed',
          target: 'wait_request',
          actions: [
            'countDelivered',
            {
              type: 'announce',
              params: ({ context }) => ({
                operation: 'receive',
                summary: `delivery of ${required(context.taken, 'taken message').bytes.length} B not recorded by the store: ${refusal(answerError(context.answer))}`,
              }),
            },
          ],
        },
        { guard: 'answerDone', target: 'wait_request', actions: 'countDelivered' },
      ],
    },
    peer_quiet: { type: 'final' },
  },
  output: ({ context }) => ({
    ok: context.refused === 0,
    outcome: 'served',
    code: (context.refused === 0 ? 'ok' : 'message.refused') satisfies QueueCode,
    bytes: context.bytes,
    detail: `${context.stored} stored, ${context.delivered} delivered${context.refused ? `, ${context.refused} refused` : ''}`,
  }),
});
