/**
 * One connection of the share server (seed 004): `put` stores the rest of
 * the stream under a free name, atomically, and closes cleanly only once it
 * is stored; `get` answers `pass` and the file, then closes; `list` sends the
 * folder's names. Names stay inside the served folder (the transfer server's
 * jail); anything else is answered `cancel`, at once.
 */
import { isUtf8 } from 'node:buffer';
import { assign, fromPromise, setup } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { receiveIntoSink, sendFromSource, peerIdleFails } from '../../src/engine/bulk-states';
import { errorCode } from '../../src/storage/errors';
import { fileSink, fileSource, type SinkEvent, type SourceEvent } from '../../src/engine/file-actors';
import type { DownloadLookup, IncomingFile, OutgoingFile, UploadLookup } from '../../src/storage/file-store';
import { interruptedOnSocketError, outcomeFrom, type EngineCode, type SocketCode } from '../../src/engine/outcome';
import { refusalCode, refusalDetail, type StorageCode } from '../../src/storage/lookup-refusal';
import { nameErrorWords } from '../../src/storage/name-error-words';
import { FLOW_CONTROL_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import type { TextRequestFrame } from '../../src/engine/text-request-reader';
import {
  readsTextRequest,
  takeRequest,
  textRequestRules,
  type TextRequestContext,
} from '../../src/engine/text-request-state';
import { CANCEL, PASS, encodeListing, parseShareRequest, type ShareRequest } from './codec';
import { requestWords } from './request-words';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';
import { extended } from '../../src/engine/extended';

/** The server's files: the transfer server's jailed folder does all of this. */
export interface ShareFiles {
  lookupDownload(name: string, owner: string): DownloadLookup | Promise<DownloadLookup>;
  reserveUpload(name: string, owner: string): UploadLookup | Promise<UploadLookup>;
  release(owner: string): void;
  read(ref: string, size: number): OutgoingFile;
  receive(ref: string): IncomingFile;
  list(): Promise<string[]>;
}

export interface ShareServerInput {
  /** Who holds a name while it is read or written (the connection's id). */
  owner: string;
  maxRequest: number;
  quietMs?: number;
  idleTimeoutMs?: number;
  /**
   * How long a `get`'s file bytes wait after `pass`. The original client reads
   * the answer in one recv(32) and fails when file bytes come with it; TCP
   * never tells a server that its peer has read, so it waits this long (0: not at all).
   */
  passGapMs?: number;
  /** The most bytes a `put` stores: past it, nothing is kept and the connection is closed (`--max-size`; default none). */
  maxUploadSize?: number;
}

/**
 * Unless configured (`--pass-gap`). Measured with the original client's way of
 * reading (seedpeer --faithful), 6 at a time on 2 busy cores: 20 ms lost 5 gets
 * in 200, 50 ms none; with no gap a fifth failed even one at a time.
 */
export const DEFAULT_PASS_GAP_MS = 50;

type ShareOutcome =
  | 'open'
  | 'stored'
  | 'sent'
  | 'listed'
  | 'cancelled'
  | 'unknown_request'
  | 'not_stored'
  | 'server_error'
  | 'interrupted'
  | 'timed_out';

/** Why a share session ended. */
type ShareCode =
  | SocketCode
  | Exclude<EngineCode, 'storage.no_room'>
  | StorageCode
  /** The requested name is not UTF-8. */
  | 'name.encoding'
  /** The request is not `put`, `get` or `list` (detail: its start). */
  | 'request.unknown';

interface Context extends ShareServerInput, TextRequestContext {
  /** The request, parsed once it is complete. */
  parsed: ShareRequest;
  ref?: string;
  size: number;
  outcome: ShareOutcome;
  code?: ShareCode;
  detail?: string;
  bytes: number;
}

type Event = TextRequestFrame | WireEvent | SourceEvent | SinkEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'download_complete' | 'failed' | 'upload_complete';
const MACHINE_ID = 'share-server';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<ShareOutcome>(['stored', 'sent', 'listed']);
const rules = textRequestRules(1);
const nameOf = ({ parsed }: Context) => ('name' in parsed ? parsed.name : '');
const passGap = (context: Context) => context.passGapMs ?? DEFAULT_PASS_GAP_MS;
const readRequest = readsTextRequest('client_connect', 'check_request', FAILED);
const isKind =
  (kind: ShareRequest['kind']) =>
  ({ context }: { context: Context }) =>
    context.parsed.kind === kind;
/** The request's operation and name as log fields. */
const asked = (request: ShareRequest) => ({
  operation: request.kind,
  name: 'name' in request ? request.name : undefined,
});

const cancel = [
  { type: 'write' as const, params: { bytes: CANCEL } },
  {
    type: 'finish' as const,
    params: ({ event }: { event: { output: DownloadLookup | UploadLookup } }) => ({
      outcome: 'cancelled' as const,
      code: refusalCode(event.output),
      detail: refusalDetail(event.output),
    }),
  },
];
const serverError = {
  type: 'finish' as const,
  params: ({ event }: { event: { error: unknown } }) => ({
    outcome: 'server_error' as const,
    code: 'storage.failed' as const,
    detail: errorCode(event.error),
  }),
};

/** One share server connection; its file actors come through `provide` (server-actors.ts). */
export const shareServerMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as ShareServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      lookupDownload: fromPromise<DownloadLookup, { name: string; owner: string }>(unprovided('lookupDownload')),
      reserveUpload: fromPromise<UploadLookup, { name: string; owner: string }>(unprovided('reserveUpload')),
      list: fromPromise<string[]>(unprovided('list')),
      source: fileSource(unprovided('source')),
      sink: fileSink(unprovided('sink')),
    },
    actions: {
      ...bulkActions<Context, Event>(),
      takeRequest: assign(takeRequest),
      parseRequest: assign(({ context }) => ({ parsed: parseShareRequest(context.request.lines[0]) })),
      useFile: assign((_, params: { lookup: DownloadLookup | UploadLookup }) =>
        params.lookup.kind === 'found'
          ? { ref: params.lookup.ref, size: params.lookup.size }
          : params.lookup.kind === 'free'
            ? { ref: params.lookup.ref }
            : {},
      ),
    },
    guards: {
      ...rules.guards,
      isPut: isKind('put'),
      isGet: isKind('get'),
      isList: isKind('list'),
      // The line as sent: a name that is not UTF-8 would be stored under U+FFFD in its place.
      notUtf8: ({ context }) => !isUtf8(context.request.firstLine),
      noPassGap: ({ context }) => passGap(context) === 0,
    },
    delays: { quiet: rules.quiet, idle: rules.idle, passGap: ({ context }) => passGap(context) },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) =>
      extended(input, {
        request: rules.initialRequest,
        parsed: { kind: 'unknown', text: '' },
        size: 0,
        outcome: 'open',
        bytes: 0,
      }),
    initial: 'client_connect',
    on: interruptedOnSocketError,
    states: {
      client_connect: readRequest,
      check_request: {
        entry: [
          'parseRequest',
          {
            type: 'announce',
            params: ({ context }) => ({
              summary: requestWords(context.parsed, context.request.lines[0]),
              ...asked(context.parsed),
            }),
          },
        ],
        always: [
          {
            guard: 'notUtf8',
            target: 'request_complete',
            actions: [
              { type: 'write', params: { bytes: CANCEL } },
              {
                type: 'finish',
                params: { outcome: 'cancelled', code: 'name.encoding', detail: nameErrorWords('name.encoding') },
              },
            ],
          },
          { guard: 'isPut', target: 'check_upload' },
          { guard: 'isGet', target: 'check_download' },
          { guard: 'isList', target: 'listing' },
          // The original closes without a word; so does wirestate, but it says why in its log.
          {
            target: 'request_complete',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                outcome: 'unknown_request',
                code: 'request.unknown',
                detail: JSON.stringify(context.request.lines[0].slice(0, 40)),
              }),
            },
          },
        ],
      },

      check_upload: {
        invoke: {
          src: 'reserveUpload',
          input: ({ context }) => ({ name: nameOf(context), owner: context.owner }),
          onDone: [
            {
              guard: ({ event }) => event.output.kind === 'free',
              target: 'uploading',
              actions: [
                { type: 'useFile', params: ({ event }) => ({ lookup: event.output }) },
                { type: 'write', params: { bytes: PASS } },
              ],
            },
            { target: 'request_complete', actions: cancel },
          ],
          onError: { target: 'request_complete', actions: [{ type: 'write', params: { bytes: CANCEL } }, serverError] },
        },
      },
      uploading: receiveIntoSink({
        ref: (context: Context) => context.ref ?? '',
        storedTarget: at('upload_complete'),
        outcome: 'stored' as const,
        failure: 'not_stored' as const,
        failedTarget: FAILED,
        framing: 'until-end',
        limit: ({ maxUploadSize }: Context) =>
          maxUploadSize === undefined
            ? undefined
            : { bytes: maxUploadSize, detail: `more than --max-size ${maxUploadSize} B` },
      }),
      upload_complete: { type: 'final', entry: 'end' },

      check_download: {
        invoke: {
          src: 'lookupDownload',
          input: ({ context }) => ({ name: nameOf(context), owner: context.owner }),
          onDone: [
            {
              guard: ({ event }) => event.output.kind === 'found',
              target: 'pass_sent',
              actions: [
                { type: 'useFile', params: ({ event }) => ({ lookup: event.output }) },
                { type: 'write', params: { bytes: PASS } },
              ],
            },
            { target: 'request_complete', actions: cancel },
          ],
          onError: { target: 'request_complete', actions: [{ type: 'write', params: { bytes: CANCEL } }, serverError] },
        },
      },
      pass_sent: {
        tags: FLOW_CONTROL_TAG,
        always: { guard: 'noPassGap', target: 'downloading' },
        after: { passGap: 'downloading' },
      },
      downloading: sendFromSource({
        ref: (context: Context) => context.ref ?? '',
        sentTarget: at('download_complete'),
        outcome: 'sent' as const,
        failure: 'server_error' as const,
        failedTarget: FAILED,
      }),
      download_complete: { type: 'final', entry: 'end' },

      listing: {
        on: { ...peerIdleFails(FAILED) },
        invoke: {
          src: 'list',
          onDone: {
            target: 'request_complete',
            actions: [
              { type: 'write', params: ({ event }) => ({ bytes: encodeListing(event.output) }) },
              assign({ bytes: ({ event }) => encodeListing(event.output).length }),
              {
                type: 'finish',
                params: ({ event }) => ({
                  outcome: 'listed',
                  code: 'ok',
                  detail: `${event.output.length} ${event.output.length === 1 ? 'name' : 'names'}`,
                }),
              },
            ],
          },
          onError: { target: 'request_complete', actions: serverError },
        },
      },
      request_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  }),
);
