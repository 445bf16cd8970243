/**
 * One connection of the lab's second exercise (seed 003, `sum`): the client
 * sends a name and a number; the server shows both names, both numbers and
 * their sum, and answers with its own name and number. A number outside
 * 1..100 is the exercise's way to stop the server: it answers with an error
 * line and asks the server to stop. Text that is not a number is refused and
 * the server keeps running.
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
import { checkNumber, encodeNameAndNumber, encodeSumError, HIGHEST, LOWEST } from './codec';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { extended } from '../../src/engine/extended';

export interface SumServerInput {
  serverName: string;
  serverNumber: number;
  maxRequest: number;
  quietMs?: number;
  idleTimeoutMs?: number;
}

type SumOutcome = 'open' | 'replied' | 'refused' | 'stopped' | 'interrupted' | 'timed_out';
/** Why a sum session ended. */
type SumCode =
  | SocketCode
  | Extract<EngineCode, 'ok' | 'peer.idle'>
  /** The client's number is not an integer. */
  | 'number.invalid'
  /** The client's number is an integer out of range: the server stops, as the exercise asks. */
  | 'number.out_of_range';

interface Context extends SumServerInput, TextRequestContext {
  outcome: SumOutcome;
  code?: SumCode;
  detail?: string;
  bytes: number;
}

type Event = TextRequestFrame | WireEvent;

const output = outcomeFrom<SumOutcome>(['replied', 'stopped']);
const rules = textRequestRules(2);
const request = (context: Context) => {
  const [name, number] = context.request.lines;
  return { name, number, check: checkNumber(number) };
};
const RANGE = `an integer from ${LOWEST} to ${HIGHEST}`;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed';
const MACHINE_ID = 'sum-server';
const at = targetsIn<Targeted>()(MACHINE_ID);

export function createSumServer() {
  const machine = setup({
    types: {
      context: {} as Context,
      input: {} as SumServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actions: {
      ...wireActions<Context, Event>(),
      takeRequest: assign(takeRequest),
      finish: assign(finishAction<SumOutcome, SumCode>()),
    },
    guards: {
      ...rules.guards,
      inRange: ({ context }) => request(context).check.kind === 'in_range',
      outOfRange: ({ context }) => request(context).check.kind === 'out_of_range',
    },
    delays: { quiet: rules.quiet, idle: rules.idle },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { request: rules.initialRequest, outcome: 'open', bytes: 0 }),
    initial: 'client_connect',
    on: interruptedOnSocketError,
    states: {
      client_connect: readsTextRequest('client_connect', 'check_number', at('failed')),
      check_number: {
        always: [
          { guard: 'inRange', target: 'send_reply' },
          { guard: 'outOfRange', target: 'stop_server' },
          { target: 'refuse_request' },
        ],
      },
      send_reply: {
        entry: [
          {
            type: 'announce',
            params: ({ context }) => {
              const { name, number } = request(context);
              const sum = Number(number) + context.serverNumber;
              return {
                summary: `client ${JSON.stringify(name)}, server ${JSON.stringify(context.serverName)}: ${Number(number)} + ${context.serverNumber} = ${sum}`,
                operation: 'sum',
              };
            },
          },
          {
            type: 'write',
            params: ({ context }) => ({ bytes: encodeNameAndNumber(context.serverName, context.serverNumber) }),
          },
          'flush',
        ],
        on: {
          'wire.flushed': {
            target: 'request_complete',
            actions: [
              assign({ bytes: ({ context }) => encodeNameAndNumber(context.serverName, context.serverNumber).length }),
              { type: 'finish', params: { outcome: 'replied', code: 'ok' } },
            ],
          },
        },
      },
      refuse_request: {
        entry: [{ type: 'write', params: { bytes: encodeSumError(`the number must be ${RANGE}`) } }, 'flush'],
        on: {
          'wire.flushed': {
            target: 'request_complete',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                outcome: 'refused',
                code: 'number.invalid',
                detail: `not a number: ${JSON.stringify(request(context).number)}`,
              }),
            },
          },
        },
      },
      stop_server: {
        entry: [
          {
            type: 'announce',
            params: ({ context }) => ({
              summary: `client ${JSON.stringify(request(context).name)}: ${request(context).number.trim()}, out of range`,
              operation: 'sum',
            }),
          },
          {
            type: 'write',
            params: ({ context }) => ({
              bytes: encodeSumError(`${request(context).number.trim()} is not ${RANGE}; the server stops`),
            }),
          },
          'flush',
        ],
        on: {
          'wire.flushed': {
            target: 'server_stopped',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                outcome: 'stopped',
                code: 'number.out_of_range',
                detail: `${request(context).number.trim()} is out of range`,
              }),
            },
          },
        },
      },
      request_complete: { type: 'final', entry: 'end' },
      server_stopped: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context, { stopServer: context.outcome === 'stopped' }),
  });
  return checkTargets<Targeted>()(machine);
}
