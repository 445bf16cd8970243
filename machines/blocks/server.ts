/**
 * One connection of the lab's third exercise (seed 003, `blocks`): the client
 * names a file; the server answers `OK <size>` and streams it in blocks of
 * 1024 bytes, or answers `ERR <reason>`. Files come from a jailed folder
 * (the transfer server's), so a name can never reach outside it.
 */
import { assign, fromPromise, setup } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { sendFromSource } from '../../src/engine/bulk-states';
import { errorCode } from '../../src/storage/errors';
import { fileSource, type SourceEvent } from '../../src/engine/file-actors';
import { PEER_IDLE_EVENT } from '../../src/engine/idle';
import { interruptedOnSocketError, outcomeFrom, type EngineCode, type SocketCode } from '../../src/engine/outcome';
import { refusalCode, refusalDetail, type StorageCode } from '../../src/storage/lookup-refusal';
import type { SessionOutcome, WireEvent, MachineEmitted } from '../../src/engine/protocol';
import type { TextRequestFrame } from '../../src/engine/text-request-reader';
import {
  readsTextRequest,
  takeRequest,
  textRequestRules,
  type TextRequestContext,
} from '../../src/engine/text-request-state';
import type { DownloadLookup, OutgoingFile } from '../../src/storage/file-store';
import { encodeErr, encodeOk } from './codec';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';
import { nameErrorWords } from '../../src/storage/name-error-words';
import { errnoWords } from '../../src/log/errno-words';
import { extended } from '../../src/engine/extended';

/** The server's files: the transfer server's jailed folder does all of this. */
export interface BlocksFiles {
  lookupDownload(name: string, owner: string): DownloadLookup | Promise<DownloadLookup>;
  release(owner: string): void;
  read(ref: string, size: number): OutgoingFile;
}

export interface BlocksServerInput {
  /** Who holds the file while it is sent (the connection's id). */
  owner: string;
  maxRequest: number;
  quietMs?: number;
  idleTimeoutMs?: number;
}

type BlocksOutcome = 'open' | 'sent' | 'refused' | 'server_error' | 'interrupted' | 'timed_out';
/** Why a blocks session ended. */
type BlocksCode = SocketCode | Exclude<EngineCode, 'storage.no_room'> | StorageCode;

interface Context extends BlocksServerInput, TextRequestContext {
  ref?: string;
  size: number;
  outcome: BlocksOutcome;
  code?: BlocksCode;
  detail?: string;
  bytes: number;
}

type Event = TextRequestFrame | WireEvent | SourceEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed' | 'send_complete';
const MACHINE_ID = 'blocks-server';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<BlocksOutcome>(['sent']);
const rules = textRequestRules(1);
const fileName = (context: Context) => context.request.lines[0];

/** Why a lookup found nothing to send, as the `ERR` line says it: in words, never the served folder's paths. */
function refusalReason(lookup: DownloadLookup): string {
  if (lookup.kind === 'missing') return 'no such file';
  if (lookup.kind === 'busy') return 'the file is busy';
  return lookup.kind === 'refused' ? errnoWords(nameErrorWords(lookup.code)) : 'unknown';
}

const refuse = (reason: (args: { event: { output: DownloadLookup } }) => string) => [
  {
    type: 'write' as const,
    params: (args: { event: { output: DownloadLookup } }) => ({ bytes: encodeErr(reason(args)) }),
  },
  'flush' as const,
  // The log says the outcome already: its detail is the storage's refusal in words, not the ERR line's `refused (...)`.
  {
    type: 'finish' as const,
    params: (args: { event: { output: DownloadLookup } }) => ({
      outcome: 'refused' as const,
      code: refusalCode(args.event.output),
      detail: args.event.output.kind === 'refused' ? refusalDetail(args.event.output) : reason(args),
    }),
  },
];

/** One blocks server connection; its file actors come through `provide` (server-actors.ts). */
export const blocksServerMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as BlocksServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      lookup: fromPromise<DownloadLookup, { name: string; owner: string }>(unprovided('lookup')),
      source: fileSource(unprovided('source')),
    },
    actions: {
      ...bulkActions<Context, Event>(),
      takeRequest: assign(takeRequest),
      found: assign((_, params: { lookup: DownloadLookup }) =>
        params.lookup.kind === 'found' ? { ref: params.lookup.ref, size: params.lookup.size } : {},
      ),
    },
    guards: rules.guards,
    delays: { quiet: rules.quiet, idle: rules.idle },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { request: rules.initialRequest, size: 0, outcome: 'open', bytes: 0 }),
    initial: 'client_connect',
    on: interruptedOnSocketError,
    states: {
      client_connect: readsTextRequest('client_connect', 'check_file', FAILED),
      check_file: {
        entry: {
          type: 'announce',
          params: ({ context }) => ({
            summary: `file ${JSON.stringify(fileName(context))}`,
            operation: 'get',
            name: fileName(context),
          }),
        },
        invoke: {
          src: 'lookup',
          input: ({ context }) => ({ name: fileName(context), owner: context.owner }),
          onDone: [
            {
              guard: ({ event }) => event.output.kind === 'found',
              target: 'send_file',
              actions: [{ type: 'found', params: ({ event }) => ({ lookup: event.output }) }],
            },
            { target: 'send_refusal', actions: refuse(({ event }) => refusalReason(event.output)) },
          ],
          onError: {
            target: 'send_refusal',
            actions: [
              { type: 'write', params: { bytes: encodeErr('server error') } },
              'flush',
              {
                type: 'finish',
                params: ({ event }) => ({
                  outcome: 'server_error',
                  code: 'storage.failed',
                  detail: errorCode(event.error),
                }),
              },
            ],
          },
        },
      },
      send_refusal: { on: { [PEER_IDLE_EVENT]: at('failed'), 'wire.flushed': 'request_complete' } },
      send_file: {
        entry: { type: 'write', params: ({ context }) => ({ bytes: encodeOk(context.size) }) },
        ...sendFromSource({
          ref: (context: Context) => context.ref ?? '',
          sentTarget: at('send_complete'),
          outcome: 'sent' as const,
          failure: 'server_error' as const,
          failedTarget: FAILED,
        }),
      },
      send_complete: { type: 'final', entry: 'end' },
      request_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  }),
);
