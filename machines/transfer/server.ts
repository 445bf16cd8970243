/**
 * One server connection of the transfer protocol (seed 002), as an xstate
 * machine. It does no I/O: replies are emitted as wire commands, file work
 * happens in actors it declares and whoever runs it supplies with `provide`
 * (`serverActors` in server-actors.ts).
 */
import { assign, fromPromise, setup } from 'xstate';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { fileSink, fileSource, type FileTarget, type SinkEvent, type SourceEvent } from '../../src/engine/file-actors';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import type { Answered } from './server-lookup-refusals';
import { OP, statusLetter, type NameField, type Status } from './frames';
import {
  EXTENSION_VERSION,
  agreed,
  capabilityNames,
  confirmsStored,
  encodeHelloReply,
  hasCapability,
  EXT_OP,
} from './extension-frames';
import type { ResumeFrom, UploadOpen } from './resume-frames';
import { serverDownloadStates } from './server-download';
import { serverListingStates } from './server-listing';
import { serverUploadStates } from './server-upload';
import { protocolErrorOnUnexpectedBytes } from './unexpected-bytes';
import { protocolViolation } from './server-replies';
import type { NameErrorCode } from '../../src/storage/errors';
import type { InboundFrame } from './frame-reader';
import { peerIdleFails } from '../../src/engine/bulk-states';
import { bulkActions } from '../../src/engine/bulk-actions';
import { toSessionOutcome, type Finish, type TransferOutcomeFields } from './outcome';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { interruptedOnSocketError } from '../../src/engine/outcome';
import { unprovided } from '../../src/engine/unprovided';
import { extended } from '../../src/engine/extended';

export interface ServerInput {
  /** Connection id: owner of the name holds this connection takes. */
  owner: string;
  /** Largest upload accepted, in bytes. */
  maxUploadSize: number;
  /** How long the peer may send nothing while a state waits for it. */
  idleTimeoutMs?: number;
  /** The extensions this server offers a client that says hello (extension-frames.ts CAPABILITY bits). */
  capabilities: number;
  /** Seconds an interrupted resumable upload is kept, said in the hello reply when `resume` is agreed. */
  resumeKeepSeconds?: number;
}

export interface ServerContext extends ServerInput, TransferOutcomeFields {
  operation?: 'download' | 'upload';
  name?: string;
  /** Set when the request's name field could not be read as a name. */
  nameError?: NameErrorCode;
  /** What the store answered for the request's name, on entering `check_download` or `check_upload`. */
  lookup?: Answered<DownloadLookup | UploadLookup>;
  /** What the files' lookup returned for the name: used for every later file call. */
  ref?: string;
  size: number;
  /** The extensions both sides have, once the client said hello; undefined before (or without) a hello. */
  agreed?: number;
  /** The request's op was an extension op: replies say `t`, and the agreed extension frames follow. */
  extended: boolean;
  /** An `r` request: what the client has of the file. */
  resumeFrom?: ResumeFrom;
  /** A `p` request: the file's size and the upload's id. */
  uploadOpen?: UploadOpen;
  /** A resumed transfer's first byte in the file: what the client has (`r`) or what was kept (`p`). */
  start: number;
}

export type ServerEvent = InboundFrame | WireEvent | SourceEvent | SinkEvent;

/** The states the shared fragments below target by id: `checkTargets` proves each exists. */
type Targeted =
  | 'failed'
  | 'download_complete'
  | 'uploading'
  | 'upload_complete'
  | 'confirm_stored'
  | 'digest_mismatch'
  | 'list_complete';
const MACHINE_ID = 'transfer-server';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');

/** The log line of the request just taken (params are read after `takeRequest` has run). */
const announceRequest = {
  type: 'announce' as const,
  params: ({ context }: { context: ServerContext }) => ({
    summary: `${String(context.operation)} ${JSON.stringify(context.name ?? '')}`,
    operation: context.operation,
    name: context.name,
  }),
};
type RequestFrame = Extract<InboundFrame, { type: 'frame.request' }>;
/**
 * A download or upload request (`op`) goes to `target`: the names its lookup takes stay held, its fields are
 * kept, with `resumes`, those of the resume of its own kind (`r`'s RESUME_FROM, `p`'s UPLOAD_OPEN), and it is logged.
 */
const requestTaken = (
  op: number,
  target: 'check_download' | 'check_upload',
  resumes: (event: RequestFrame) => { resumeFrom?: ResumeFrom; uploadOpen?: UploadOpen },
) => ({
  guard: {
    type: 'opIs' as const,
    params: ({ event }: { event: RequestFrame }) => ({ actual: event.op, expected: op }),
  },
  target,
  actions: [
    {
      type: 'takeRequest' as const,
      params: ({ event }: { event: RequestFrame }) => ({
        op: event.op,
        field: event.name,
        extended: event.extended === true,
        ...resumes(event),
      }),
    },
    announceRequest,
  ],
});

/** The server connection machine; its file actors come through `provide` (server-actors.ts). */
export const transferServerMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as ServerContext,
      input: {} as ServerInput,
      events: {} as ServerEvent,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      checkRoom: fromPromise<boolean, FileTarget>(unprovided('checkRoom')),
      keptUpload: fromPromise<number, { ref: string; id: string }>(unprovided('keptUpload')),
      source: fileSource(unprovided('source')),
      sink: fileSink(unprovided('sink')),
      /** The served folder's listing as LIST_CHUNKs (list-frames.ts `listingBytes`). */
      listSource: fileSource(unprovided('listSource')),
    },
    actions: {
      ...bulkActions<ServerContext, ServerEvent, Finish>(),
      takeRequest: assign(
        (
          _,
          params: { op: number; field: NameField; extended: boolean; resumeFrom?: ResumeFrom; uploadOpen?: UploadOpen },
        ) => ({
          operation: params.op === OP.download ? ('download' as const) : ('upload' as const),
          name: params.field.ok ? params.field.name : params.field.shown,
          nameError: params.field.ok ? undefined : params.field.code,
          extended: params.extended,
          resumeFrom: params.resumeFrom,
          uploadOpen: params.uploadOpen,
        }),
      ),
      takeHello: assign(({ context }, params: { offered: number }) => ({
        agreed: agreed(params.offered, context.capabilities),
      })),
      /**
       * The store's answer for the request's name (a download's lookup, an upload's reservation), kept as `lookup`:
       * provided by whoever runs the machine (server-actors.ts `serverLookups`).
       */
      lookUpDownload: assign(unprovided('lookUpDownload')),
      reserveUpload: assign(unprovided('reserveUpload')),
      /** What a lookup found, any of the file's reference, size and first byte in one step: one context copy, not one per field. */
      takeFile: assign((_, params: { ref?: string; size?: number; start?: number }) => params),
    },
    delays: {},
    guards: {
      nameRejected: ({ context }) => context.nameError !== undefined,
      /** What the store answered for the request's name (`lookup`, on entering `check_download` or `check_upload`). */
      found: ({ context }) => context.lookup?.kind === 'found',
      free: ({ context }) => context.lookup?.kind === 'free',
      /** A `p` request's name is free: the upload it continues may have been kept. */
      freeToResume: ({ context }) => context.lookup?.kind === 'free' && context.uploadOpen !== undefined,
      storeFailed: ({ context }) => context.lookup?.kind === 'failed',
      /** A first hello of a version this server speaks. */
      helloWelcome: ({ context }, params: { version: number }) =>
        context.agreed === undefined && params.version >= EXTENSION_VERSION,
      confirmsStored: ({ context }) => confirmsStored(context.extended, context.agreed),
      /** An extension request needs a hello before it; a resume request (`r`, `p`), one that agreed `resume`. */
      extensionUnannounced: ({ context }, params: { extended: boolean; resumes: boolean }) =>
        params.extended &&
        (context.agreed === undefined || (params.resumes && !hasCapability(context.agreed, 'resume'))),
      statusIs: (_, params: { actual: number; expected: Status }) => params.actual === params.expected,
      opIs: (_, params: { actual: number; expected: number }) => params.actual === params.expected,
      tooLarge: ({ context }, params: { size: number }) => params.size > context.maxUploadSize,
      /** An `l` on a connection whose hello did not agree `list`. */
      listUnagreed: ({ context }, params: { op: number }) =>
        params.op === EXT_OP.list && !hasCapability(context.agreed ?? 0, 'list'),
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { size: 0, extended: false, start: 0, bytes: 0, outcome: 'open' }),
    initial: 'client_connect',
    on: {
      ...interruptedOnSocketError,
      'socket.end': {
        target: '.failed',
        actions: {
          type: 'finish',
          params: { outcome: 'interrupted', code: 'peer.ended_early', detail: 'client ended early' },
        },
      },
      ...protocolErrorOnUnexpectedBytes,
    },
    states: {
      client_connect: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          'frame.hello': [
            {
              guard: { type: 'helloWelcome', params: ({ event }) => ({ version: event.version }) },
              target: 'hello',
              actions: { type: 'takeHello', params: ({ event }) => ({ offered: event.capabilities }) },
            },
            { target: 'failed', actions: protocolViolation('a second hello, or not a wirestate hello') },
          ],
          'frame.request': [
            {
              guard: {
                type: 'extensionUnannounced',
                params: ({ event }) => ({
                  extended: event.extended === true,
                  resumes: event.resumeFrom !== undefined || event.uploadOpen !== undefined,
                }),
              },
              target: 'failed',
              actions: protocolViolation('an extension request without a hello that agreed it'),
            },
            {
              guard: { type: 'listUnagreed', params: ({ event }) => ({ op: event.op }) },
              target: 'failed',
              actions: protocolViolation('a list request on a connection that did not agree list'),
            },
            {
              guard: { type: 'opIs', params: ({ event }) => ({ actual: event.op, expected: EXT_OP.list }) },
              target: 'listing',
              actions: { type: 'announce', params: { summary: 'list', operation: 'list' } },
            },
            requestTaken(OP.download, 'check_download', (event) => ({ resumeFrom: event.resumeFrom })),
            requestTaken(OP.upload, 'check_upload', (event) => ({ uploadOpen: event.uploadOpen })),
            {
              target: 'failed',
              actions: {
                type: 'finish',
                params: ({ event }) => ({
                  outcome: 'protocol_error',
                  code: 'protocol.violation',
                  detail: `unknown operation ${statusLetter(event.op)}`,
                }),
              },
            },
          ],
        },
      },

      /** A wirestate client said hello: the reply goes out at once, then the request is read as before. */
      hello: {
        entry: [
          {
            type: 'write',
            params: ({ context }) => ({
              bytes: encodeHelloReply({
                version: EXTENSION_VERSION,
                capabilities: context.agreed ?? 0,
                maxUploadSize: context.maxUploadSize,
                keepPartialSeconds: hasCapability(context.agreed ?? 0, 'resume') ? (context.resumeKeepSeconds ?? 0) : 0,
              }),
            }),
          },
          'flush',
          // Answered: the request after it is timed from its own first byte (--request-timeout), as a next request is.
          {
            type: 'announce',
            params: ({ context }) => ({
              summary: `hello: agreed ${capabilityNames(context.agreed ?? 0).join(', ') || 'no extension'}`,
              event: 'hello',
              level: 'debug',
            }),
          },
        ],
        on: { ...peerIdleFails(FAILED), 'wire.flushed': 'client_connect' },
      },

      ...serverDownloadStates({ completeTarget: at('download_complete'), failedTarget: FAILED }),

      ...serverUploadStates({
        uploadingTarget: at('uploading'),
        confirmStoredTarget: at('confirm_stored'),
        digestMismatchTarget: at('digest_mismatch'),
        completeTarget: at('upload_complete'),
        failedTarget: FAILED,
      }),

      ...serverListingStates(at('list_complete'), FAILED),

      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => toSessionOutcome(context),
  }),
);
