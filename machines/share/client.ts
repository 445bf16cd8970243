/**
 * The share client (seed 004), mirroring the server: `get` stores what
 * follows `pass` up to the server's close, atomically; `put` sends the file
 * after `pass`, ends its side, and counts it stored once the server closes
 * cleanly; `list` reads the names until the server closes.
 */
import { assign, setup } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { peerIdleFails, rearmedByProgress, receiveIntoSink, sendFromSource } from '../../src/engine/bulk-states';
import { fileSink, fileSource, type SinkEvent, type SourceEvent } from '../../src/engine/file-actors';
import type { IncomingFile, OutgoingFile } from '../../src/storage/file-store';
import { restartsIdle } from '../../src/engine/idle';
import {
  interruptedOnSocketError,
  outcomeFrom,
  protocolErrorOnBadFrame,
  type EngineCode,
  type PeerCode,
  type SocketCode,
} from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { appendBytes, noBytes, type ReceivedBytes } from '../../src/engine/received-bytes';
import { encodeShareRequest } from './codec';
import type { ShareReplyFrame } from './reply-reader';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';
import { errnoWords } from '../../src/log/errno-words';
import { extended } from '../../src/engine/extended';

export interface ShareClientInput {
  command: 'put' | 'get' | 'list';
  /** The file's name on the server (put, get). */
  name: string;
  /** Bytes to put (the local file's size). */
  size: number;
  /** Largest listing accepted, in bytes. */
  maxListing: number;
  /** get: the most bytes of the file kept; past it nothing is kept (`file.too_large`). None: no limit. */
  maxSize?: number;
  idleTimeoutMs?: number;
}

/** The client's one local file: read for `put`, written atomically by `get`. */
export interface ShareLocalFile {
  read(size: number): OutgoingFile;
  receive(): IncomingFile;
}

type ShareClientOutcome =
  | 'open'
  | 'stored'
  | 'received'
  | 'listed'
  | 'cancelled'
  | 'not_stored'
  | 'local_error'
  | 'protocol_error'
  | 'interrupted'
  | 'timed_out';

/** Why a share client's session ended; `peer.refused` is the server's `cancel`. */
type ShareClientCode = SocketCode | Exclude<EngineCode, 'storage.no_room'> | Exclude<PeerCode, 'peer.error'>;

interface Context extends ShareClientInput {
  listing: ReceivedBytes;
  outcome: ShareClientOutcome;
  code?: ShareClientCode;
  detail?: string;
  bytes: number;
}

type Event = ShareReplyFrame | WireEvent | SourceEvent | SinkEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'download_complete' | 'failed' | 'wait_stored';
const MACHINE_ID = 'share-client';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<ShareClientOutcome>(['stored', 'received', 'listed']);

/** The share client; its local file's actors come through `provide` (client-actors.ts). */
export const shareClientMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as ShareClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      source: fileSource(unprovided('source')),
      sink: fileSink(unprovided('sink')),
    },
    actions: {
      ...bulkActions<Context, Event>(),
      appendListing: assign(({ context }, params: { bytes: Buffer }) => ({
        listing: appendBytes(context.listing, params.bytes),
      })),
    },
    guards: {
      isList: ({ context }) => context.command === 'list',
      isPut: ({ context }) => context.command === 'put',
      listingTooLong: ({ context }) => context.listing.length > context.maxListing,
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { listing: noBytes(), outcome: 'open', bytes: 0 }),
    initial: 'send_request',
    on: {
      ...interruptedOnSocketError,
      ...protocolErrorOnBadFrame,
      'socket.end': {
        target: '.failed',
        actions: {
          type: 'finish',
          params: {
            outcome: 'interrupted',
            code: 'peer.ended_early',
            detail: 'the server closed without an answer',
          },
        },
      },
    },
    states: {
      send_request: {
        entry: [
          { type: 'write', params: ({ context }) => ({ bytes: encodeShareRequest(context.command, context.name) }) },
          'flush',
        ],
        on: {
          ...peerIdleFails(FAILED),
          'wire.flushed': [{ guard: 'isList', target: 'receiving_list' }, { target: 'wait_answer' }],
        },
      },
      wait_answer: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          'frame.pass': [{ guard: 'isPut', target: 'uploading' }, { target: 'downloading' }],
          'frame.cancel': {
            target: 'request_cancelled',
            actions: { type: 'finish', params: { outcome: 'cancelled', code: 'peer.refused' } },
          },
        },
      },
      request_cancelled: { type: 'final' },

      downloading: receiveIntoSink({
        ref: (context: Context) => context.name,
        storedTarget: at('download_complete'),
        outcome: 'received' as const,
        failure: 'local_error' as const,
        failedTarget: FAILED,
        framing: 'until-end',
        limit: ({ maxSize }: Context) =>
          maxSize === undefined ? undefined : { bytes: maxSize, detail: `more than --max-size ${maxSize} B` },
      }),
      download_complete: { type: 'final' },

      uploading: sendFromSource({
        ref: (context: Context) => context.name,
        sentTarget: at('wait_stored'),
        then: 'end' as const,
        failure: 'local_error' as const,
        failedTarget: FAILED,
      }),
      wait_stored: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          ...rearmedByProgress('wait_stored'),
          'socket.end': {
            target: 'upload_complete',
            actions: { type: 'finish', params: { outcome: 'stored', code: 'ok' } },
          },
          'socket.error': {
            target: 'failed',
            actions: {
              type: 'finish',
              params: ({ event }) => ({
                outcome: 'not_stored',
                code: 'peer.ended_early',
                detail: `the server could not store it: ${errnoWords(event.code)}`,
              }),
            },
          },
          'frame.bytes': {
            target: 'failed',
            actions: {
              type: 'finish',
              params: {
                outcome: 'protocol_error',
                code: 'protocol.violation',
                detail: 'the server answered after pass',
              },
            },
          },
        },
      },
      upload_complete: { type: 'final' },

      receiving_list: {
        tags: READING_TAG,
        always: {
          guard: 'listingTooLong',
          target: 'failed',
          actions: {
            type: 'finish',
            params: ({ context }) => ({
              outcome: 'protocol_error',
              code: 'reply.too_large',
              detail: `listing over ${context.maxListing} bytes`,
            }),
          },
        },
        on: {
          ...peerIdleFails(FAILED),
          'frame.bytes': {
            target: 'receiving_list',
            reenter: true,
            actions: [{ type: 'appendListing', params: ({ event }) => ({ bytes: event.bytes }) }, restartsIdle],
          },
          'socket.end': {
            target: 'list_received',
            actions: [
              assign({ bytes: ({ context }) => context.listing.length }),
              { type: 'finish', params: { outcome: 'listed', code: 'ok' } },
            ],
          },
        },
      },
      list_received: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  }),
);
