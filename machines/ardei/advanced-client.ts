/**
 * The client of ardei's advanced variant, mirroring the server: the key
 * exchange, then one command at a time as the user gives them
 * (`user.command` events), each sent as `<command>929Z` in one write, as the
 * original client sends it: each reply is read to its end; a `dl` reply's
 * announced bytes go to a local file, named after what the user asked for,
 * that appears only once all are there. Refusals are counted: a session that
 * had one ends `refused`. A reply before its command was sent (bytes past a
 * `dl`'s announced size) breaks the protocol: the session fails, and a file
 * still being stored when they come is not kept.
 */
import { assign, fromPromise, setup } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { checkRoomState } from '../../src/engine/check-room-state';
import { receiveIntoSink, waitsForPeer } from '../../src/engine/bulk-states';
import { fileSink, type SinkEvent } from '../../src/engine/file-actors';
import { idleDelay } from '../../src/engine/idle';
import {
  interruptedOnSocketError,
  outcomeFrom,
  type EngineCode,
  type PeerCode,
  type SocketCode,
} from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { CLIENT_KEY, DELIMITER, announcedSize, commandBytes, isRefusal, parseCommand } from './advanced-codec';
import type { AdvancedReplyFrame } from './advanced-readers';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';

export interface AdvancedClientInput {
  idleTimeoutMs?: number;
}

/** A command typed at the prompt. */
export type UserCommand = { type: 'user.command'; text: string };

type AdvancedClientOutcome = 'open' | 'quit' | 'refused' | 'server_error' | 'local_error' | 'interrupted' | 'timed_out';
/** Why an advanced client's session ended; `peer.refused`: the server turned at least one command down. */
type AdvancedClientCode =
  SocketCode | EngineCode | Extract<PeerCode, 'peer.refused' | 'peer.ended_early' | 'protocol.violation'>;

interface Context extends AdvancedClientInput {
  /** The last reply, for the prompt to show; replies counts them, refusals those that turned a command down. */
  reply: string;
  replies: number;
  refusals: number;
  /** The path the last `dl` asked for, if the last command was one. */
  asked?: string;
  /** The file a `dl` is writing (the asked path's name without folders). */
  fileName: string;
  size: number;
  outcome: AdvancedClientOutcome;
  code?: AdvancedClientCode;
  detail?: string;
  bytes: number;
}

type Event = AdvancedReplyFrame | WireEvent | SinkEvent | UserCommand;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed' | 'file_stored';
const MACHINE_ID = 'ardei-advanced-client';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<AdvancedClientOutcome>(['quit']);
/** The failure for a reply no command asked for: `where` says what it came after. */
const unasked = (where: string) => ({
  target: FAILED,
  actions: {
    type: 'finish' as const,
    params: ({ event }: { event: { text: string } }) => ({
      outcome: 'server_error' as const,
      code: 'protocol.violation' as const,
      detail: `the server sent ${Buffer.byteLength(event.text) + DELIMITER.length} bytes ${where}`,
    }),
  },
});
const baseName = (path: string) => path.split('/').filter(Boolean).pop() ?? 'download';
/** The path a command asks to download, if it is a `dl`. */
const askedFile = (text: string) => {
  const command = parseCommand(text);
  return command.kind === 'dl' ? command.path : undefined;
};

const download = receiveIntoSink({
  ref: (context: Context) => context.fileName,
  storedTarget: at('file_stored'),
  outcome: 'open' as const,
  failure: 'local_error' as const,
  failedTarget: FAILED,
  readsWhileStoring: true,
});

/** The advanced ardei client; its local files' actors come through `provide` (advanced-actors.ts). */
export const ardeiAdvancedClientMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as AdvancedClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      checkRoom: fromPromise<boolean, { size: number }>(unprovided('checkRoom')),
      sink: fileSink(unprovided('sink')),
    },
    actions: {
      ...bulkActions<Context, Event>(),
      showReply: assign(({ context }, params: { text: string }) => ({
        reply: params.text,
        replies: context.replies + 1,
        refusals: context.refusals + (isRefusal(params.text) ? 1 : 0),
      })),
    },
    guards: {
      isQuit: (_, params: { text: string }) => parseCommand(params.text).kind === 'quit',
      isDownload: (_, params: { text: string }) => announcedSize(params.text) !== undefined,
      /** A file announced in answer to a `dl`. */
      answersDl: ({ context }, params: { text: string }) =>
        context.asked !== undefined && announcedSize(params.text) !== undefined,
    },
    delays: { idle: idleDelay },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => ({
      ...input,
      reply: '',
      replies: 0,
      refusals: 0,
      fileName: '',
      size: 0,
      outcome: 'open',
      bytes: 0,
    }),
    initial: 'wait_key',
    on: interruptedOnSocketError,
    states: {
      wait_key: {
        tags: READING_TAG,
        ...waitsForPeer(FAILED),
        on: { 'frame.key': { target: 'ready', actions: { type: 'write', params: { bytes: CLIENT_KEY } } } },
      },
      ready: {
        tags: READING_TAG,
        on: {
          'frame.reply': unasked('that no command asked for'),
          'socket.end': {
            target: 'failed',
            actions: {
              type: 'finish',
              params: { outcome: 'interrupted', code: 'peer.ended_early', detail: 'the server closed the connection' },
            },
          },
          'user.command': [
            {
              guard: { type: 'isQuit', params: ({ event }) => ({ text: event.text }) },
              target: 'wait_close',
              actions: { type: 'write', params: ({ event }) => ({ bytes: commandBytes(event.text) }) },
            },
            {
              target: 'wait_reply',
              actions: [
                { type: 'write', params: ({ event }) => ({ bytes: commandBytes(event.text) }) },
                assign({ asked: ({ event }) => askedFile(event.text) }),
              ],
            },
          ],
        },
      },
      wait_reply: {
        tags: READING_TAG,
        ...waitsForPeer(FAILED),
        on: {
          'frame.reply': [
            {
              guard: { type: 'answersDl', params: ({ event }) => ({ text: event.text }) },
              target: 'check_room',
              actions: assign(({ context, event }) => ({
                fileName: baseName(context.asked!),
                size: announcedSize(event.text)!.size,
                bytes: 0,
              })),
            },
            {
              guard: { type: 'isDownload', params: ({ event }) => ({ text: event.text }) },
              target: 'failed',
              actions: {
                type: 'finish',
                params: {
                  outcome: 'server_error',
                  code: 'protocol.violation',
                  detail: 'the server sent a file no dl asked for',
                },
              },
            },
            { target: 'ready', actions: { type: 'showReply', params: ({ event }) => ({ text: event.text }) } },
          ],
          'socket.end': {
            target: 'failed',
            actions: {
              type: 'finish',
              params: {
                outcome: 'interrupted',
                code: 'peer.ended_early',
                detail: 'the server closed the connection before its reply',
              },
            },
          },
        },
      },
      check_room: checkRoomState<Context>('downloading', (context) => `${context.size} bytes of ${context.fileName}`),
      downloading: { ...download, on: { ...download.on, 'frame.reply': unasked('past the announced size') } },
      file_stored: {
        always: {
          target: 'ready',
          actions: {
            type: 'showReply',
            params: ({ context }) => ({ text: `Saved ${context.fileName} (${context.bytes} bytes)` }),
          },
        },
      },
      wait_close: {
        tags: READING_TAG,
        ...waitsForPeer(FAILED),
        on: {
          'socket.end': {
            target: 'session_complete',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                ...(context.refusals > 0
                  ? { outcome: 'refused' as const, code: 'peer.refused' as const }
                  : { outcome: 'quit' as const, code: 'ok' as const }),
                detail: `${context.replies} repl(ies), ${context.refusals} refused`,
              }),
            },
          },
        },
      },
      session_complete: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  }),
);
