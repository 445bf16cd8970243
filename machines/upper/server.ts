/**
 * One connection of the lab's first exercise (seed 003, `upper`): the client
 * sends a line, the server answers it upper-cased and closes.
 */
import { assign, setup } from 'xstate';
import {
  finishAction,
  interruptedOnSocketError,
  outcomeFrom,
  type EngineCode,
  type SocketCode,
} from '../../src/engine/outcome';
import type { SessionOutcome, WireEvent, MachineEmitted } from '../../src/engine/protocol';
import type { TextRequestFrame } from '../../src/engine/text-request-reader';
import {
  readsTextRequest,
  takeRequest,
  textRequestRules,
  type TextRequestContext,
} from '../../src/engine/text-request-state';
import { wireActions } from '../../src/engine/wire-actions';
import { upperCased } from './codec';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { extended } from '../../src/engine/extended';

export interface UpperServerInput {
  /** Longest request read, in bytes (the seed's buffer: 2048). */
  maxRequest: number;
  quietMs?: number;
  idleTimeoutMs?: number;
}

type UpperOutcome = 'open' | 'replied' | 'interrupted' | 'timed_out';
/** Why an upper session ended: answered, the client silent, or the socket failed. */
type UpperCode = SocketCode | Extract<EngineCode, 'ok' | 'peer.idle'>;

interface Context extends UpperServerInput, TextRequestContext {
  outcome: UpperOutcome;
  code?: UpperCode;
  detail?: string;
  bytes: number;
}

type Event = TextRequestFrame | WireEvent;

const output = outcomeFrom<UpperOutcome>(['replied']);
const rules = textRequestRules(1);
const sentence = (context: Context) => context.request.lines[0];

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed';
const MACHINE_ID = 'upper-server';
const at = targetsIn<Targeted>()(MACHINE_ID);

export function createUpperServer() {
  const machine = setup({
    types: {
      context: {} as Context,
      input: {} as UpperServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      takeRequest: assign(takeRequest),
      finish: assign(finishAction<UpperOutcome, UpperCode>()),
    },
    guards: rules.guards,
    delays: { quiet: rules.quiet, idle: rules.idle },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { request: rules.initialRequest, outcome: 'open', bytes: 0 }),
    initial: 'client_connect',
    on: interruptedOnSocketError,
    states: {
      client_connect: readsTextRequest('client_connect', 'send_reply', at('failed')),
      send_reply: {
        entry: [
          {
            type: 'announce',
            params: ({ context }) => ({
              summary: `data from the client: ${JSON.stringify(sentence(context))}`,
              operation: 'upper',
            }),
          },
          { type: 'write', params: ({ context }) => ({ bytes: upperCased(sentence(context)) }) },
          'flush',
        ],
        on: {
          'wire.flushed': {
            target: 'request_complete',
            actions: [
              assign({ bytes: ({ context }) => Buffer.byteLength(sentence(context)) }),
              { type: 'finish', params: { outcome: 'replied', code: 'ok' } },
            ],
          },
        },
      },
      request_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  });
  return checkTargets<Targeted>()(machine);
}
