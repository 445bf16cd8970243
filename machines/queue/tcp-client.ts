/**
 * The queue client over TCP (seed 001), mirroring the server: `send` writes
 * the message, ends its side and counts it kept once the server closes
 * cleanly (a reset, even one that comes while still writing, means not kept);
 * `receive` asks with `<<GET>>` and reads the reply until the server
 * closes.
 */
import { assign, setup } from 'xstate';
import { rearmedByProgress } from '../../src/engine/bulk-states';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { wireActions } from '../../src/engine/wire-actions';
import { finishAction, interruptedOnSocketError } from '../../src/engine/outcome';
import { clientContext, startByMode, type QueueClientInput } from './client-states';
import { GET, isEmptyReply } from './codec';
import { overMaxSize, toSessionOutcome, type QueueCode, type QueueOutcome } from './outcome';
import { PEER_IDLE_EVENT, restartsIdle } from '../../src/engine/idle';
import { appendBytes, joinedBytes, noBytes, type ReceivedBytes } from '../../src/engine/received-bytes';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { CANNOT_CONFIRM, confirmClient, confirmClientStates, offerWaitDelay } from './confirm-client-states';
import { extended } from '../../src/engine/extended';

export type { QueueClientInput };

interface Context extends QueueClientInput {
  message: Buffer;
  /** The reply as it comes; joined into `message` once the server closes. */
  reply: ReceivedBytes;
  outcome: QueueOutcome;
  code?: QueueCode;
  detail?: string;
  bytes: number;
  /** No offer came in time: the message went plainly. */
  fellBack?: boolean;
}

type Event = BytesFrame | WireEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed';
const MACHINE_ID = 'queue-tcp-client';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const timedOut = {
  target: FAILED,
  actions: {
    type: 'finish' as const,
    params: { outcome: 'timed_out' as const, code: 'peer.idle' as const, detail: 'no answer from the server' },
  },
};
/** The server broke the connection of a send: it did not keep the message, whether the client was still writing (EPIPE, ECONNRESET) or done. */
const notKept = {
  target: FAILED,
  actions: {
    type: 'finish' as const,
    params: ({ event }: { event: { code: string } }) => ({
      outcome: 'not_stored' as const,
      code: 'peer.refused' as const,
      detail: `${event.code}: the server reset the connection before keeping the message: it refused it (its queue full, the message over its size cap, or its store failing); the original server keeps only its first read, so it may have kept part of it`,
    }),
  },
};

/** `message` is what `send` sends; the received message ends up in the snapshot's `context.message`. */
export function createQueueTcpClient(message: Buffer) {
  const machine = setup({
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
      append: assign(({ context }, params: { bytes: Buffer }) => ({ reply: appendBytes(context.reply, params.bytes) })),
      /** The reply, whole, where the command reads it: a message or the empty-queue text. */
      keepReply: assign({ message: ({ context }) => joinedBytes(context.reply) }),
      dropOffer: assign({ reply: ({ context }) => confirmClient.afterOffer(context) }),
      noteFallback: assign({ fellBack: true }),
      countMessage: assign({ bytes: ({ context }) => context.message.length }),
    },
    delays: { offerWait: offerWaitDelay },
    guards: {
      awaitsOffer: ({ context }) => confirmClient.awaitsOffer(context),
      offerHeard: ({ context }) => confirmClient.offerHeard(context),
      notAnOffer: ({ context }) => confirmClient.notAnOffer(context),
      storedHeard: ({ context }) => confirmClient.storedHeard(context),
      lateOffer: ({ context }, params: { bytes: Buffer }) => confirmClient.lateOffer(context, params.bytes),
      sending: ({ context }) => context.mode === 'send',
      overCap: ({ context }) => context.reply.length > context.maxMessage,
      emptyReply: ({ context }) => isEmptyReply(joinedBytes(context.reply), 'tcp'),
      resetByServer: ({ event }) => event.type === 'socket.error' && ['ECONNRESET', 'EPIPE'].includes(event.code),
    },
  }).createMachine({
    id: MACHINE_ID,
    context: (args) => extended(clientContext(message)(args), { reply: noBytes() }),
    initial: 'start',
    on: interruptedOnSocketError,
    states: {
      start: { always: [{ guard: 'awaitsOffer', target: 'wait_offer' }, ...startByMode.always] },
      ...confirmClientStates(timedOut, { guard: 'resetByServer' as const, ...notKept }, FAILED),

      send_message: {
        on: {
          [PEER_IDLE_EVENT]: timedOut,
          ...rearmedByProgress('send_message'),
          'wire.flushed': { target: 'wait_message_stored', actions: 'end' },
          'socket.error': { guard: 'resetByServer', ...notKept },
        },
      },
      wait_message_stored: {
        tags: READING_TAG,
        on: {
          [PEER_IDLE_EVENT]: timedOut,
          ...rearmedByProgress('wait_message_stored'),
          'socket.end': {
            target: 'message_sent',
            actions: [
              'countMessage',
              {
                type: 'finish',
                params: ({ context }) => ({
                  outcome: 'sent',
                  code: 'ok',
                  ...(context.fellBack && { detail: CANNOT_CONFIRM }),
                }),
              },
            ],
          },
          'socket.error': notKept,
          'frame.bytes': [
            {
              guard: { type: 'lateOffer', params: ({ event }) => ({ bytes: event.bytes }) },
              actions: { type: 'append', params: ({ event }) => ({ bytes: event.bytes }) },
            },
            {
              target: 'failed',
              actions: {
                type: 'finish',
                params: { outcome: 'protocol_error', code: 'protocol.violation', detail: 'the server answered a send' },
              },
            },
          ],
        },
      },
      message_sent: { type: 'final' },

      request_message: {
        entry: [{ type: 'write', params: { bytes: GET } }, 'end'],
        always: 'receiving_message',
      },
      receiving_message: {
        tags: READING_TAG,
        always: {
          guard: 'overCap',
          target: 'failed',
          actions: {
            type: 'finish',
            params: ({ context }) => overMaxSize(context.maxMessage),
          },
        },
        on: {
          [PEER_IDLE_EVENT]: timedOut,
          'frame.bytes': {
            target: 'receiving_message',
            reenter: true,
            actions: [{ type: 'append', params: ({ event }) => ({ bytes: event.bytes }) }, restartsIdle],
          },
          'socket.end': [
            {
              guard: 'emptyReply',
              target: 'message_received',
              actions: ['keepReply', { type: 'finish', params: { outcome: 'queue_empty', code: 'queue.empty' } }],
            },
            {
              target: 'message_received',
              actions: [
                'keepReply',
                assign({ bytes: ({ context }) => context.reply.length }),
                { type: 'finish', params: { outcome: 'received', code: 'ok' } },
              ],
            },
          ],
        },
      },
      message_received: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => toSessionOutcome(context),
  });
  return checkTargets<Targeted>()(machine);
}
