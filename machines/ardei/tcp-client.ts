/**
 * Ardei's client over TCP, one request per connection: it sends the request
 * and counts what comes back until the server closes, keeping only the first
 * bytes (enough to tell `file_prepared` from a text reply and to show a
 * text). Generated data is counted, never held. Data past what was asked for
 * breaks the protocol: the client stops at that read, not at the server's close.
 */
import { assign, setup } from 'xstate';
import type { BytesFrame } from '../../src/engine/chunk-reader';
import { PEER_IDLE_EVENT, restartsIdle } from '../../src/engine/idle';
import {
  finishAction,
  interruptedOnSocketError,
  outcomeFrom,
  type EngineCode,
  type PeerCode,
  type SocketCode,
} from '../../src/engine/outcome';
import {
  BULK_TAG,
  READING_TAG,
  type SessionOutcome,
  type WireEvent,
  type MachineEmitted,
} from '../../src/engine/protocol';
import { wireActions } from '../../src/engine/wire-actions';
import { bytesPastAsked } from './report';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { extended } from '../../src/engine/extended';

export interface ArdeiClientInput {
  /** Sent exactly as given, in one write, with no newline: what the original client sends. */
  request: string;
  /** How many of the first reply bytes are kept (the rest is only counted). */
  keep: number;
  idleTimeoutMs?: number;
}

export type ArdeiClientOutcome = 'open' | 'received' | 'protocol_error' | 'interrupted' | 'timed_out';
/** Why an ardei client session ended (over UDP, `peer.unreachable`: nothing listens). */
export type ArdeiClientCode =
  | SocketCode
  | Extract<EngineCode, 'ok' | 'peer.idle'>
  /** TCP: data past what was asked for. */
  | Extract<PeerCode, 'protocol.violation'>
  /** UDP: the reply stopped short of what was asked (datagrams lost); the client gave up after a silence. */
  | 'reply.incomplete';

interface Context extends ArdeiClientInput {
  head: Buffer;
  outcome: ArdeiClientOutcome;
  code?: ArdeiClientCode;
  detail?: string;
  bytes: number;
}

type Event = BytesFrame | WireEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed';
const MACHINE_ID = 'ardei-tcp-client';
const at = targetsIn<Targeted>()(MACHINE_ID);

const output = outcomeFrom<ArdeiClientOutcome>(['received']);
const timedOut = {
  target: at('failed'),
  actions: {
    type: 'finish' as const,
    params: {
      outcome: 'timed_out' as const,
      code: 'peer.idle' as const,
      detail: 'nothing from the server for the idle timeout',
    },
  },
};

export function createArdeiTcpClient() {
  const machine = setup({
    types: {
      context: {} as Context,
      input: {} as ArdeiClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      finish: assign(finishAction<ArdeiClientOutcome, ArdeiClientCode>()),
      take: assign(({ context }, params: { bytes: Buffer }) => ({
        head:
          context.head.length < context.keep
            ? Buffer.concat([context.head, params.bytes.subarray(0, context.keep - context.head.length)])
            : context.head,
        bytes: context.bytes + params.bytes.length,
      })),
    },
    guards: {
      pastAsked: ({ context }) => bytesPastAsked(extended(context, { transport: 'tcp' })) > 0,
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { head: Buffer.alloc(0), outcome: 'open', bytes: 0 }),
    initial: 'send_request',
    on: interruptedOnSocketError,
    states: {
      send_request: {
        entry: [{ type: 'write', params: ({ context }) => ({ bytes: Buffer.from(context.request) }) }, 'flush'],
        on: { [PEER_IDLE_EVENT]: timedOut, 'wire.flushed': 'receiving' },
      },
      receiving: {
        tags: [READING_TAG, BULK_TAG],
        always: {
          guard: 'pastAsked',
          target: 'failed',
          actions: {
            type: 'finish',
            params: ({ context }) => ({
              outcome: 'protocol_error',
              code: 'protocol.violation',
              detail: `the server sent ${bytesPastAsked({ ...context, transport: 'tcp' })} bytes more than asked`,
            }),
          },
        },
        on: {
          [PEER_IDLE_EVENT]: timedOut,
          'frame.bytes': {
            target: 'receiving',
            reenter: true,
            actions: [{ type: 'take', params: ({ event }) => ({ bytes: event.bytes }) }, restartsIdle],
          },
          'socket.end': {
            target: 'reply_received',
            actions: { type: 'finish', params: { outcome: 'received', code: 'ok' } },
          },
        },
      },
      reply_received: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  });
  return checkTargets<Targeted>()(machine);
}
