/**
 * One TCP connection of the queue server (seed 001). The request is told
 * apart as soon as 7 bytes have come (`<<GET>>` or not); a message is read
 * until the client ends its side, refused (reset) past the cap, and the
 * connection is closed only once the message is kept.
 */
import { and, assign, setup } from 'xstate';
import { required } from '../../src/engine/required';
import { refusal, refusalCode } from './refusal';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import {
  BULK_TAG,
  NOT_CONNECTED,
  READING_TAG,
  type SessionOutcome,
  type WireEvent,
  type MachineEmitted,
} from '../../src/engine/protocol';
import { wireActions } from '../../src/engine/wire-actions';
import { EMPTY_TCP, GET, isGet, mayStillBeGet } from './codec';
import { storeDeclarations, type StoreContext } from './store-effects';
import { takeThenSend } from './take-message';
import { toSessionOutcome, type QueueCode, type QueueOutcome } from './outcome';
import { PEER_IDLE_EVENT, restartsIdle } from '../../src/engine/idle';
import { finishAction, interruptedOnSocketError } from '../../src/engine/outcome';
import { appendBytes, joinedBytes, noBytes, type ReceivedBytes } from '../../src/engine/received-bytes';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { confirmServer, confirmServerStates, offerDelay, SETTLE_MS } from './confirm-server-states';
import { extended } from '../../src/engine/extended';
import { answerDone, answerError, answerFailed, type AnswerSettled } from '../../src/engine/step-answer';

export interface QueueServerInput {
  /** Largest message accepted, in bytes. */
  maxMessage: number;
  idleTimeoutMs?: number;
  /** Offer the stored confirmation to a connection silent this long (store-confirmation.ts); never when absent. */
  offerAfterMs?: number;
}

interface Context extends QueueServerInput, StoreContext {
  received: ReceivedBytes;
  outcome: QueueOutcome;
  code?: QueueCode;
  detail?: string;
  bytes: number;
  confirm?: boolean;
}

type Event = BytesFrame | WireEvent | AnswerSettled;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed';
const MACHINE_ID = 'queue-tcp-server';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const timedOut = {
  target: FAILED,
  actions: {
    type: 'finish' as const,
    params: {
      outcome: 'timed_out' as const,
      code: 'peer.idle' as const,
      detail: 'nothing from the client for the idle timeout',
    },
  },
};

/** The request's first bytes once this chunk is added: all a GET check needs, without copying the rest. */
const requestHead = ({ context, event }: { context: Context; event: BytesFrame }) => ({
  bytes: Buffer.concat([...context.received.chunks, event.bytes.subarray(0, GET.length)]).subarray(0, GET.length),
});

/** The store failed to read or to forget a message: the server's error, in the store's words (an errno, say EIO). */
const storeFailure = ({ context }: { context: Context }) => ({
  outcome: 'server_error' as const,
  code: 'storage.failed' as const,
  detail: refusal(answerError(context.answer)),
});

/** One TCP connection of the queue server; its store comes through `provide` (store-effects.ts). */
export const queueTcpServerMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as QueueServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      append: assign(({ context }, params: { bytes: Buffer }) => ({
        received: appendBytes(context.received, params.bytes),
      })),
      finish: assign(finishAction<QueueOutcome, QueueCode>()),
      ...storeDeclarations<Context, Event>(),
      dropSendToken: assign(({ context }) => confirmServer.withoutSendToken(context)),
    },
    delays: { offer: offerDelay, settle: SETTLE_MS },
    guards: {
      offering: ({ context }) => confirmServer.offering(context),
      asksConfirmation: ({ context }) => confirmServer.asksConfirmation(context),
      offeredGet: ({ context }) => confirmServer.offeredGet(context),
      offeredMessage: ({ context }) => confirmServer.offeredMessage(context),
      confirmAsked: ({ context }) => context.confirm === true,
      answerDone,
      answerFailed,
      nothingReceived: ({ context }) => context.received.length === 0,
      overCap: ({ context }) => context.received.length > context.maxMessage,
      isGet: (_, params: { bytes: Buffer }) => isGet(params.bytes),
      mayStillBeGet: (_, params: { bytes: Buffer }) => mayStillBeGet(params.bytes),
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { received: noBytes(), outcome: 'open', bytes: 0 }),
    initial: 'client_connect',
    on: interruptedOnSocketError,
    states: {
      client_connect: {
        tags: READING_TAG,
        after: { offer: { guard: 'offering', target: 'offered' } },
        on: {
          [PEER_IDLE_EVENT]: timedOut,
          'frame.bytes': [
            {
              guard: { type: 'isGet', params: requestHead },
              target: 'dequeue',
              actions: [
                { type: 'append', params: ({ event }) => ({ bytes: event.bytes }) },
                { type: 'announce', params: { summary: 'receive', operation: 'receive' } },
              ],
            },
            {
              // Too few bytes yet to tell: stay, without re-entering (the states visited must not depend on the cuts).
              guard: { type: 'mayStillBeGet', params: requestHead },
              actions: { type: 'append', params: ({ event }) => ({ bytes: event.bytes }) },
            },
            {
              target: 'receiving_message',
              actions: { type: 'append', params: ({ event }) => ({ bytes: event.bytes }) },
            },
          ],
          'socket.end': [
            {
              guard: 'nothingReceived',
              target: 'request_complete',
              actions: {
                type: 'finish',
                params: { outcome: 'no_message', code: 'request.empty', detail: 'the client sent nothing' },
              },
            },
            {
              target: 'enqueue',
              actions: {
                type: 'announce',
                params: ({ context }) => ({ operation: 'send', summary: `send of ${context.received.length} B` }),
              },
            },
          ],
        },
      },
      receiving_message: {
        // The message is bulk: its pace is held to --min-rate, not to the request deadline.
        tags: [READING_TAG, BULK_TAG],
        always: {
          guard: 'overCap',
          target: 'failed',
          actions: {
            type: 'finish',
            params: ({ context }) => ({
              outcome: 'refused',
              code: 'message.too_large',
              detail: `message over the ${context.maxMessage}-byte cap`,
            }),
          },
        },
        on: {
          [PEER_IDLE_EVENT]: timedOut,
          'frame.bytes': {
            target: 'receiving_message',
            reenter: true,
            actions: [{ type: 'append', params: ({ event }) => ({ bytes: event.bytes }) }, restartsIdle],
          },
          'socket.end': {
            target: 'enqueue',
            actions: {
              type: 'announce',
              params: ({ context }) => ({ operation: 'send', summary: `send of ${context.received.length} B` }),
            },
          },
        },
      },
      enqueue: {
        // The store answers within this step (in memory) or once the message is synced (--store): `answer.settled`.
        entry: { type: 'askEnqueue', params: ({ context }) => ({ bytes: joinedBytes(context.received) }) },
        on: { 'answer.settled': { actions: 'keepAnswer' } },
        always: [
          {
            guard: 'answerFailed',
            target: 'failed',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                outcome: 'not_stored',
                code: refusalCode(answerError(context.answer)),
                detail: refusal(answerError(context.answer)),
              }),
            },
          },
          {
            guard: and(['answerDone', 'confirmAsked']),
            target: 'confirm_stored',
            actions: [
              assign({ bytes: ({ context }) => context.received.length }),
              { type: 'finish', params: { outcome: 'stored', code: 'ok' } },
            ],
          },
          {
            guard: 'answerDone',
            target: 'message_stored',
            actions: [
              assign({ bytes: ({ context }) => context.received.length }),
              { type: 'finish', params: { outcome: 'stored', code: 'ok' } },
            ],
          },
        ],
      },
      message_stored: { type: 'final', entry: 'end' },
      ...confirmServerStates(timedOut),

      dequeue: takeThenSend(
        {
          // The store could not read the message (an I/O error): the receiver is reset, as for any server failure.
          target: 'failed',
          actions: { type: 'finish', params: storeFailure },
        },
        {
          target: 'request_complete',
          actions: [
            { type: 'write', params: { bytes: EMPTY_TCP } },
            { type: 'finish', params: { outcome: 'queue_empty', code: 'queue.empty', detail: 'no message waiting' } },
          ],
        },
      ),
      send_message: {
        on: {
          [PEER_IDLE_EVENT]: {
            target: 'failed',
            actions: [
              'restore',
              {
                type: 'finish',
                params: { outcome: 'timed_out', code: 'peer.idle', detail: 'the client did not take the message' },
              },
            ],
          },
          'wire.flushed': 'confirm_delivery',
          'socket.error': [
            {
              // The receiver had reset before the message was written: it got none of it, and the message stays.
              guard: ({ event }) => event.code === NOT_CONNECTED,
              target: 'failed',
              actions: [
                'restore',
                {
                  type: 'finish',
                  params: {
                    outcome: 'interrupted',
                    code: 'socket.error',
                    detail: 'the client was gone before the message was written: it stays in the queue',
                  },
                },
              ],
            },
            // The message is written: a receiver that resets now has had it (the original client reads 3000 bytes
            // and resets on a longer message). Putting it back would hand it to a second receiver.
            { target: 'confirm_delivery' },
          ],
        },
      },
      confirm_delivery: {
        // The message is written: a reset now changes nothing (as in send_message); the store is confirming it gone.
        entry: 'askConfirm',
        on: { 'socket.error': {}, 'answer.settled': { actions: 'keepAnswer' } },
        always: [
          {
            guard: 'answerFailed',
            target: 'request_complete',
            actions: { type: 'finish', params: storeFailure },
          },
          {
            guard: 'answerDone',
            target: 'request_complete',
            actions: [
              assign({ bytes: ({ context }) => required(context.taken, 'taken message').bytes.length }),
              { type: 'finish', params: { outcome: 'delivered', code: 'ok' } },
            ],
          },
        ],
      },
      request_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => toSessionOutcome(context),
  }),
);
