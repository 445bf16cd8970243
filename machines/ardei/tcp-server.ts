/**
 * One TCP connection of ardei's server (seed 000): one request, then an
 * echo, a generated "file" (`file_prepared` in a write of its own, then n
 * bytes of `A`, generated as they are sent, with the socket's backpressure),
 * a stream of segments, or a one-line error; then the server closes.
 */
import { outgoingBytes } from '../../src/storage/outgoing-bytes';
import { assign, emit, setup } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { sendFromSource } from '../../src/engine/bulk-states';
import { fileSource, type SourceEvent } from '../../src/engine/file-actors';
import { interruptedOnSocketError, outcomeFrom, type EngineCode, type SocketCode } from '../../src/engine/outcome';
import type { SessionOutcome, WireEvent, MachineEmitted } from '../../src/engine/protocol';
import type { TextRequestFrame } from '../../src/engine/text-request-reader';
import {
  readsTextRequest,
  takeRequest,
  textRequestRules,
  type TextRequestContext,
} from '../../src/engine/text-request-state';
import { FILE_PREPARED, echoOf, generatedChunks, parseArdeiRequest, segmentOf, type ArdeiRequest } from './codec';
import { streamsSegmentsToReader } from './stream-states';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { extended } from '../../src/engine/extended';

/** The pause after `file_prepared`, unless configured: long enough for the original one-read client to take it alone on a busy machine, too short for a person to notice (the original pauses about 0.1 ms). */
export const PREPARED_GAP_MS = 10;

export interface ArdeiServerInput {
  maxRequest: number;
  /** The pause between `file_prepared` and the data; 0 for none (traces replayed without a clock). */
  preparedGapMs?: number;
  quietMs?: number;
  idleTimeoutMs?: number;
}

type ArdeiOutcome = 'open' | 'echoed' | 'sent' | 'streamed' | 'refused' | 'interrupted' | 'timed_out';
/** Why an ardei TCP session ended. */
type ArdeiCode =
  | SocketCode
  | Exclude<EngineCode, 'storage.no_room'>
  /** The request is none the protocol answers (empty, negative, over the limit; detail: the error sent). */
  | 'request.invalid';

interface Context extends ArdeiServerInput, TextRequestContext {
  /** The request, parsed once it is complete. */
  parsed: ArdeiRequest;
  size: number;
  segmentsLeft: number;
  outcome: ArdeiOutcome;
  code?: ArdeiCode;
  detail?: string;
  bytes: number;
}

type Event = TextRequestFrame | WireEvent | SourceEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed' | 'request_complete' | 'stream_complete';
const MACHINE_ID = 'ardei-tcp-server';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<ArdeiOutcome>(['echoed', 'sent', 'streamed']);
const rules = textRequestRules(1);
const is =
  (kind: ArdeiRequest['kind']) =>
  ({ context }: { context: Context }) =>
    context.parsed.kind === kind;
const stream = (context: Context) => context.parsed as Extract<ArdeiRequest, { kind: 'stream' }>;

export function createArdeiTcpServer() {
  const machine = setup({
    types: {
      context: {} as Context,
      input: {} as ArdeiServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: { source: fileSource(({ size }) => outgoingBytes(generatedChunks(size))) },
    actions: {
      ...bulkActions<Context, Event>(),
      takeRequest: assign(takeRequest),
      // The request up to its newline, if a person typed one (the original client sends none).
      parseRequest: assign(({ context }) => ({ parsed: parseArdeiRequest(context.request.firstLine) })),
      writeSegment: emit(({ context }) => ({ type: 'wire.write' as const, bytes: segmentOf(stream(context).size) })),
      countSegment: assign(({ context }) => ({
        segmentsLeft: context.segmentsLeft - 1,
        bytes: context.bytes + stream(context).size,
      })),
    },
    guards: {
      ...rules.guards,
      isFile: is('file'),
      isStream: is('stream'),
      isEcho: is('echo'),
      segmentsLeft: ({ context }) => context.segmentsLeft > 0,
      noGap: ({ context }) => context.preparedGapMs === 0,
    },
    delays: {
      quiet: rules.quiet,
      idle: rules.idle,
      preparedGap: ({ context }) => context.preparedGapMs ?? PREPARED_GAP_MS,
      interval: ({ context }) => stream(context).intervalMs,
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) =>
      extended(input, {
        request: rules.initialRequest,
        parsed: parseArdeiRequest(Buffer.alloc(0)),
        size: 0,
        segmentsLeft: 0,
        outcome: 'open',
        bytes: 0,
      }),
    initial: 'client_connect',
    on: interruptedOnSocketError,
    states: {
      client_connect: readsTextRequest('client_connect', 'check_request', FAILED),
      check_request: {
        entry: [
          'parseRequest',
          {
            type: 'announce',
            params: ({ context }) => ({
              summary: JSON.stringify(context.request.lines[0].trim().slice(0, 60)),
              operation: context.parsed.kind,
            }),
          },
        ],
        always: [
          {
            guard: 'isFile',
            target: 'preparing_file',
            actions: assign({ size: ({ context }) => (context.parsed as { size: number }).size }),
          },
          {
            guard: 'isStream',
            target: 'streaming',
            actions: assign({ segmentsLeft: ({ context }) => stream(context).count }),
          },
          {
            guard: 'isEcho',
            target: 'request_complete',
            actions: [
              {
                type: 'write',
                params: ({ context }) => ({ bytes: echoOf((context.parsed as { text: string }).text) }),
              },
              assign({ bytes: ({ context }) => echoOf((context.parsed as { text: string }).text).length }),
              { type: 'finish', params: { outcome: 'echoed', code: 'ok' } },
            ],
          },
          {
            target: 'request_complete',
            actions: [
              {
                type: 'write',
                params: ({ context }) => ({ bytes: Buffer.from((context.parsed as { message: string }).message) }),
              },
              {
                type: 'finish',
                params: ({ context }) => ({
                  outcome: 'refused',
                  code: 'request.invalid',
                  detail: (context.parsed as { message: string }).message,
                }),
              },
            ],
          },
        ],
      },
      // file_prepared goes alone, then a pause: the original client reads it with one recv and drops whatever came with it.
      preparing_file: {
        entry: { type: 'write', params: { bytes: FILE_PREPARED } },
        always: { guard: 'noGap', target: 'sending_file' },
        after: { preparedGap: 'sending_file' },
      },
      sending_file: sendFromSource({
        ref: () => 'generated',
        sentTarget: at('request_complete'),
        outcome: 'sent' as const,
        failure: 'interrupted' as const,
        failedTarget: FAILED,
      }),
      streaming: {
        ...streamsSegmentsToReader(at('stream_complete'), FAILED),
      },
      stream_complete: {
        always: {
          target: 'request_complete',
          actions: { type: 'finish', params: { outcome: 'streamed', code: 'ok' } },
        },
      },
      request_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  });
  return checkTargets<Targeted>()(machine);
}
