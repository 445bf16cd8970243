/**
 * The client side of the transfer protocol (seed 002), mirroring the server
 * machine: one instance per run, downloading or uploading one file. It does no
 * I/O: frames are emitted as wire commands, local file work happens in actors
 * it declares and whoever runs it supplies with `provide` (client-actors.ts).
 */
import { assign, emit, setup } from 'xstate';
import { errorCode } from '../../src/storage/errors';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { fileSink, fileSource, type SinkEvent, type SourceEvent } from '../../src/engine/file-actors';
import { OP, STATUS, encodeRequest, encodeStatus, type Status } from './frames';
import type { InboundFrame } from './frame-reader';
import { EXT_OP, checksDigest, confirmsStored, encodeHello, hasCapability } from './extension-frames';
import type { ResumeFrom } from './resume-frames';
import { clientListingStates } from './client-listing';
import { resumeRequest } from './client-resume';
import { clientUploadStates } from './client-upload';
import { LATE_HELLO_REPLY, answeredE, badReply, finish } from './client-replies';
import { protocolErrorOnUnexpectedBytes } from './unexpected-bytes';
import { receiveIntoSink, peerIdleFails } from '../../src/engine/bulk-states';
import { bulkActions } from '../../src/engine/bulk-actions';
import { statusIs } from './status-guard';
import { toSessionOutcome, type Finish, type TransferOutcomeFields } from './outcome';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { interruptedOnSocketError } from '../../src/engine/outcome';
import { unprovided } from '../../src/engine/unprovided';
import { extended } from '../../src/engine/extended';

export interface ClientInput {
  /** `list`: the served folder's files (needs `hello`); its entries are the sink's bytes. */
  operation: 'download' | 'upload' | 'list';
  /** The file's name on the server (unused by `list`). */
  serverName: string;
  /** Bytes to upload (the local file's size); ignored for downloads. */
  size: number;
  /** How long the server may send nothing while a state waits for it. */
  idleTimeoutMs?: number;
  /** Say hello first, offering these extensions (extension-frames.ts CAPABILITY bits); absent: plain only (`--plain`). */
  hello?: { capabilities: number; waitMs: number };
  /** A download that can continue: what is kept of an earlier attempt (offset 0: nothing). Sent with `r` once `resume` is agreed. */
  resume?: ResumeFrom;
  /** An upload that can continue: its id (32 hex digits), sent with `p` once `resume` is agreed. */
  uploadId?: string;
}

/** Whether the client asks with `r` or `p` when the server agrees `resume`. */
export const asksToResume = (input: ClientInput) => input.resume !== undefined || input.uploadId !== undefined;

/** The REQUEST this client sends: plain, extension, or a resume op with the frame right behind it. */
function requestFor(context: ClientContext, op: number, extOp: number): Buffer {
  const { serverName, agreed } = context;
  if (agreed === undefined) return encodeRequest(op, serverName);
  if (!hasCapability(agreed, 'resume') || !asksToResume(context)) return encodeRequest(extOp, serverName);
  return resumeRequest(context, op);
}

export interface ClientContext extends ClientInput, TransferOutcomeFields {
  /** The extensions both sides have, once the server answered the hello in time. */
  agreed?: number;
  /** No hello reply came within the wait: the plain protocol is spoken, the server cannot confirm or check. */
  fellBack: boolean;
  /** A resumed transfer's first byte in the file, as the server said (0: from the beginning); undefined when not resumable. */
  start?: number;
  /** The server file's mtime a resumable download fetches: its kept part is named by it. */
  mtimeMs?: number;
  /** Whether the local disk has room for the download, asked on entering `prepare_download_confirmation`. */
  room?: RoomAnswer;
}

/** The local file's answer to whether the file fits, or what it threw (client-actors.ts `clientRoomCheck`). */
export type RoomAnswer = boolean | { error: unknown };

export type ClientEvent = InboundFrame | WireEvent | SourceEvent | SinkEvent;

/** The states the shared fragments below target by id: `checkTargets` proves each exists. */
type Targeted = 'failed' | 'download_complete' | 'uploading' | 'wait_upload_stored' | 'list_complete';
const MACHINE_ID = 'transfer-client';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');

const sendStatus = (status: Status) => ({ type: 'write' as const, params: { bytes: encodeStatus(status) } });
const UNASKED_REPLY = finish(
  'protocol_error',
  'protocol.violation',
  'the server answered the hello with a plain reply',
);

/** The client machine; its local file's actors come through `provide` (client-actors.ts). */
export const transferClientMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as ClientContext,
      input: {} as ClientInput,
      events: {} as ClientEvent,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      source: fileSource(unprovided('source')),
      sink: fileSink(unprovided('sink')),
    },
    actions: {
      ...bulkActions<ClientContext, ClientEvent, Finish>(),
      sendRequest: emit(({ context }, params: { op: number; extOp: number }) => ({
        type: 'wire.write' as const,
        bytes: requestFor(context, params.op, params.extOp),
      })),
      /**
       * What a reply says of the file, in one step (one context copy, not one per field): its size, and for a
       * resume reply where the DATA starts, so the count (and the progress) starts there too.
       */
      takeReply: assign((_, params: { size?: number; start?: number; mtimeMs?: number }) => ({
        ...(params.size !== undefined && { size: params.size }),
        ...(params.start !== undefined && { start: params.start, mtimeMs: params.mtimeMs, bytes: params.start }),
      })),
      sendHello: emit(({ context }) => ({
        type: 'wire.write' as const,
        bytes: encodeHello(context.hello?.capabilities ?? 0),
      })),
      takeHelloReply: assign((_, params: { capabilities: number }) => ({ agreed: params.capabilities })),
      fallBack: assign({ fellBack: true }),
      /** Asks the local file whether a download of `context.size` fits, keeping the answer as `room`. */
      checkDownloadRoom: assign(unprovided('checkDownloadRoom')),
    },
    delays: {
      helloWait: ({ context }) => context.hello?.waitMs ?? 0,
    },
    guards: {
      isDownload: ({ context }) => context.operation === 'download',
      isList: ({ context }) => context.operation === 'list',
      listAgreed: ({ context }) => hasCapability(context.agreed ?? 0, 'list'),
      fellBack: ({ context }) => context.fellBack,
      saysHello: ({ context }) => context.hello !== undefined,
      /** The server agreed to say STORED_REPLY: its close alone proves nothing. */
      awaitsConfirmation: ({ context }) => confirmsStored(context.agreed !== undefined, context.agreed),
      statusIs: (_, params: { actual: number; expected: Status }) => params.actual === params.expected,
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) =>
      extended(input, {
        size: input.operation === 'upload' ? input.size : 0,
        bytes: 0,
        outcome: 'open',
        fellBack: false,
      }),
    initial: 'start',
    on: {
      ...interruptedOnSocketError,
      'socket.end': {
        target: '.failed',
        actions: finish('interrupted', 'peer.ended_early', 'server closed the connection early'),
      },
      ...protocolErrorOnUnexpectedBytes,
    },
    states: {
      start: {
        always: [
          { guard: 'saysHello', target: 'hello' },
          { guard: 'isList', target: 'choose_list' },
          { guard: 'isDownload', target: 'init_download' },
          { target: 'init_upload' },
        ],
      },

      /** HELLO goes out alone: an original server stalls on bytes queued behind a frame it has not read. */
      hello: { entry: ['sendHello', 'flush'], always: 'send_hello' },
      send_hello: { on: { ...peerIdleFails(FAILED), 'wire.flushed': 'wait_hello_reply' } },
      wait_hello_reply: {
        tags: READING_TAG,
        after: { helloWait: 'plain_fallback' },
        on: {
          'frame.hello_reply': {
            target: 'choose_request',
            actions: { type: 'takeHelloReply', params: ({ event }) => ({ capabilities: event.reply.capabilities }) },
          },
          // Neither an original server (silent) nor a wirestate one: a reply to a request not sent yet.
          'frame.download_reply': { target: 'failed', actions: UNASKED_REPLY },
          'frame.upload_reply': { target: 'failed', actions: UNASKED_REPLY },
        },
      },
      /** No reply within the wait: an original server dropped the hello and reads the next 256 bytes as a request. */
      plain_fallback: { entry: 'fallBack', always: 'choose_request' },
      choose_request: {
        always: [
          { guard: 'isList', target: 'choose_list' },
          { guard: 'isDownload', target: 'init_download' },
          { target: 'init_upload' },
        ],
      },
      ...clientListingStates(at('list_complete'), FAILED),

      init_download: {
        entry: [{ type: 'sendRequest', params: { op: OP.download, extOp: EXT_OP.download } }, 'flush'],
        always: 'send_check_file_download',
      },
      send_check_file_download: { on: { ...peerIdleFails(FAILED), 'wire.flushed': 'check_download' } },
      check_download: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          ...LATE_HELLO_REPLY,
          'frame.download_reply': [
            {
              // A resume reply may start the DATA at the bytes kept here or before (the file changed: 0), never
              // past them or past the file's end: there would be a hole.
              guard: ({ context, event }) =>
                event.status === STATUS.yes &&
                event.start !== undefined &&
                (event.start > (context.resume?.offset ?? 0) || event.start > (event.size ?? 0)),
              target: 'failed',
              actions: {
                type: 'finish',
                params: ({ context, event }) => ({
                  outcome: 'protocol_error',
                  code: 'protocol.violation',
                  detail: `the server said to resume at byte ${event.start ?? 0} of ${event.size ?? 0} B, past the ${context.resume?.offset ?? 0} B kept here`,
                }),
              },
            },
            {
              guard: statusIs(STATUS.yes),
              target: 'prepare_download_confirmation',
              actions: {
                type: 'takeReply',
                params: ({ event }) => ({ size: event.size, start: event.start, mtimeMs: event.mtimeMs }),
              },
            },
            {
              guard: statusIs(STATUS.no),
              target: 'download_complete',
              actions: finish('refused', 'peer.refused', 'no such file on the server, or it is busy'),
            },
            {
              guard: statusIs(STATUS.error),
              target: 'download_complete',
              actions: finish('server_error', 'peer.error', answeredE('serve')),
            },
            { target: 'failed', actions: { type: 'finish', params: ({ event }) => badReply(event.status).params } },
          ],
        },
      },
      // The local file answers at once (LocalFile.hasRoomFor): asked within the step that took the reply's size.
      prepare_download_confirmation: {
        entry: 'checkDownloadRoom',
        always: [
          {
            guard: ({ context }) => context.room === true,
            target: 'confirm_download',
            actions: [sendStatus(STATUS.yes), 'flush'],
          },
          {
            guard: ({ context }) => context.room === false,
            target: 'download_complete',
            actions: [sendStatus(STATUS.no), finish('no_room', 'storage.no_room')],
          },
          {
            target: 'download_complete',
            actions: [
              sendStatus(STATUS.no),
              {
                type: 'finish',
                params: ({ context }) => ({
                  outcome: 'local_error',
                  code: 'storage.failed',
                  detail: errorCode((context.room as { error: unknown }).error),
                }),
              },
            ],
          },
        ],
      },
      confirm_download: { on: { ...peerIdleFails(FAILED), 'wire.flushed': 'downloading' } },
      downloading: receiveIntoSink({
        ref: (context: ClientContext) => context.serverName,
        resume: (context: ClientContext) =>
          context.start === undefined
            ? undefined
            : { start: context.start, tag: `${context.size}-${String(context.mtimeMs)}` },
        storedTarget: at('download_complete'),
        outcome: 'downloaded' as const,
        failure: 'local_error' as const,
        failedTarget: FAILED,
        thenPeerEnds: true,
        digest: (context: ClientContext) => checksDigest(context.agreed !== undefined, context.agreed),
        mismatch: { outcome: 'corrupted' as const, target: FAILED },
      }),
      download_complete: { type: 'final', entry: 'end' },

      ...clientUploadStates({
        uploadingTarget: at('uploading'),
        storedWaitTarget: at('wait_upload_stored'),
        failedTarget: FAILED,
      }),

      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => toSessionOutcome(context),
  }),
);
