/**
 * The client of a one-shot text protocol (the lab's `upper` and `sum`): it
 * sends its lines, each ended by a newline, ends its side, and reads the reply
 * until the server closes. The protocol says which replies are refusals.
 */
import { assign, setup } from 'xstate';
import { rearmedByProgress } from './bulk-states';
import type { BytesFrame } from './chunk-reader';
import {
  finishAction,
  interruptedOnSocketError,
  outcomeFrom,
  type EngineCode,
  type PeerCode,
  type SocketCode,
} from './outcome';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from './protocol';
import { encodeLines } from './text-request';
import { wireActions } from './wire-actions';
import { PEER_IDLE_EVENT, restartsIdle } from './idle';
import { appendBytes, joinedBytes, noBytes, type ReceivedBytes } from './received-bytes';
import { extended } from './extended';

export interface TextClientInput {
  lines: string[];
  /** Largest reply accepted, in bytes. */
  maxReply: number;
  /** How long to wait for the server. */
  idleTimeoutMs?: number;
}

export type TextClientOutcome = 'open' | 'replied' | 'refused' | 'interrupted' | 'timed_out';
/** Why a text client's session ended. */
export type TextClientCode =
  | SocketCode
  | Extract<EngineCode, 'ok' | 'peer.idle'>
  /** `peer.refused`: the server's reply is one the protocol calls a refusal (detail: its reason). */
  | Extract<PeerCode, 'peer.refused' | 'reply.too_large'>;

interface Context extends TextClientInput {
  /** The reply as it comes; `reply` is the whole of it once the server closes. */
  received: ReceivedBytes;
  reply: Buffer;
  outcome: TextClientOutcome;
  code?: TextClientCode;
  detail?: string;
  bytes: number;
}

type Event = BytesFrame | WireEvent;

const output = outcomeFrom<TextClientOutcome>(['replied']);

/** `refusal` says why a whole reply is a refusal, or undefined when it is an answer. The reply ends in the snapshot's `context.reply`. */
export function createTextClient(id: string, refusal: (reply: Buffer) => string | undefined = () => undefined) {
  const failed = `#${id}.failed`;
  return setup({
    types: {
      context: {} as Context,
      input: {} as TextClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      finish: assign(finishAction<TextClientOutcome, TextClientCode>()),
      appendReply: assign(({ context }, params: { bytes: Buffer }) => ({
        received: appendBytes(context.received, params.bytes),
      })),
    },
    guards: {
      overCap: ({ context }) => context.received.length > context.maxReply,
      refused: ({ context }) => refusal(joinedBytes(context.received)) !== undefined,
    },
  }).createMachine({
    id,
    context: ({ input }) => extended(input, { received: noBytes(), reply: Buffer.alloc(0), outcome: 'open', bytes: 0 }),
    initial: 'send_request',
    on: interruptedOnSocketError,
    states: {
      send_request: {
        entry: [{ type: 'write', params: ({ context }) => ({ bytes: encodeLines(context.lines) }) }, 'flush'],
        on: { 'wire.flushed': { target: 'wait_reply', actions: 'end' } },
      },
      wait_reply: {
        tags: READING_TAG,
        always: {
          guard: 'overCap',
          target: 'failed',
          actions: {
            type: 'finish',
            params: ({ context }) => ({
              outcome: 'interrupted',
              code: 'reply.too_large',
              detail: `reply over ${context.maxReply} bytes`,
            }),
          },
        },
        on: {
          [PEER_IDLE_EVENT]: {
            target: failed,
            actions: {
              type: 'finish',
              params: { outcome: 'timed_out', code: 'peer.idle', detail: 'no answer from the server' },
            },
          },
          ...rearmedByProgress('wait_reply'),
          'frame.bytes': {
            target: 'wait_reply',
            reenter: true,
            actions: [{ type: 'appendReply', params: ({ event }) => ({ bytes: event.bytes }) }, restartsIdle],
          },
          'socket.end': [
            {
              guard: 'refused',
              target: 'reply_refused',
              actions: {
                type: 'finish',
                params: ({ context }) => ({
                  outcome: 'refused',
                  code: 'peer.refused',
                  detail: refusal(joinedBytes(context.received)),
                }),
              },
            },
            {
              target: 'reply_received',
              actions: [
                assign(({ context }) => ({ reply: joinedBytes(context.received), bytes: context.received.length })),
                { type: 'finish', params: { outcome: 'replied', code: 'ok' } },
              ],
            },
          ],
        },
      },
      reply_received: { type: 'final' },
      reply_refused: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  });
}
