/**
 * The client of ardei's advanced variant, mirroring the server: the key
 * exchange, then one command at a time as the user gives them
 * (`user.command` events), each sent as `<command>929Z` in one write, as the
 * original client sends it: each reply is read to its end; a `dl` reply's
 * announced bytes go to a local file, named after what the user asked for,
 * that appears only once all are there. Refusals are counted: a session that
 * had one ends `refused`. While no command is outstanding (at the prompt, and
 * after `quit` until the server's close) the server owes nothing: any byte it
 * sends then breaks the protocol, and the session fails; when no command was
 * sent since the last `dl`, those bytes went past its announced size, and its
 * file is removed. A `dl` answer whose size is not all digits breaks it too.
 */
import { assign, fromPromise, setup } from 'xstate';
import { required } from '../../src/engine/required';
import { bulkActions } from '../../src/engine/bulk-actions';
import { checkRoomState } from '../../src/engine/check-room-state';
import { receiveIntoSink, peerIdleFails } from '../../src/engine/bulk-states';
import { fileSink, type SinkEvent } from '../../src/engine/file-actors';
import { errorCode } from '../../src/storage/errors';
import {
  interruptedOnSocketError,
  outcomeFrom,
  type EngineCode,
  type PeerCode,
  type SocketCode,
} from '../../src/engine/outcome';
import {
  QUIET_TAG,
  READING_TAG,
  type MachineEmitted,
  type SessionOutcome,
  type UnsolicitedBytes,
  type WireEvent,
} from '../../src/engine/protocol';
import {
  CLIENT_KEY,
  announcedSize,
  commandBytes,
  isDlAnswer,
  isRefusal,
  parseCommand,
  sizeField,
} from './advanced-codec';
import type { AdvancedReplyFrame } from './advanced-readers';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';
import { extended } from '../../src/engine/extended';

export interface AdvancedClientInput {
  idleTimeoutMs?: number;
}

/** A command typed at the prompt. */
export interface UserCommand {
  type: 'user.command';
  text: string;
}

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
  /** Its size as the server announced it: the digits, exact however large. */
  announced: string;
  /** The file the last `dl` saved, while no command has been sent since: unasked bytes went past its size. */
  lastSaved?: string;
  /** A saved file removed again because unasked bytes followed it: whoever was told it was saved is told this. */
  removed?: string;
  outcome: AdvancedClientOutcome;
  code?: AdvancedClientCode;
  detail?: string;
  bytes: number;
}

type Event = AdvancedReplyFrame | UnsolicitedBytes | WireEvent | SinkEvent | UserCommand;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed' | 'file_stored';
const MACHINE_ID = 'ardei-advanced-client';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<AdvancedClientOutcome>(['quit']);
const bytesWord = (count: number) => `${count} byte${count === 1 ? '' : 's'}`;
/**
 * In a quiet state: bytes from the server while it owes nothing. Right after a `dl` (no command sent since)
 * they went past its announced size, and its saved file is removed; otherwise no command asked for them.
 */
const unsolicited = {
  'frame.unsolicited': [
    {
      guard: ({ context }: { context: Context }) => context.lastSaved !== undefined,
      target: 'discarding',
      actions: {
        type: 'finish' as const,
        params: ({ context, event }: { context: Context; event: UnsolicitedBytes }) => ({
          outcome: 'server_error' as const,
          code: 'protocol.violation' as const,
          detail: `the server sent ${bytesWord(event.bytes)} past the announced size of ${required(context.lastSaved, 'saved name')}, which is not kept`,
        }),
      },
    },
    {
      target: 'failed',
      actions: {
        type: 'finish' as const,
        params: ({ event }: { event: UnsolicitedBytes }) => ({
          outcome: 'server_error' as const,
          code: 'protocol.violation' as const,
          detail: `the server sent ${bytesWord(event.bytes)} that no command asked for`,
        }),
      },
    },
  ],
};
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
});

/** The advanced ardei client; its local files' actors come through `provide` (advanced-actors.ts). */
export const ardeiAdvancedClientMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {},
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      checkRoom: fromPromise<boolean, { size: number }>(unprovided('checkRoom')),
      sink: fileSink(unprovided('sink')),
      /** Removes a saved file (the name it was saved under); resolves to that name. */
      discard: fromPromise<string, string>(unprovided('discard')),
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
      isDlAnswer: (_, params: { text: string }) => isDlAnswer(params.text),
      /** A `dl` answer whose size is not all digits. */
      isMalformedSize: (_, params: { text: string }) => isDlAnswer(params.text) && !announcedSize(params.text),
      /** A file announced in answer to a `dl`. */
      answersDl: ({ context }, params: { text: string }) =>
        context.asked !== undefined && announcedSize(params.text) !== undefined,
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) =>
      extended(input, {
        reply: '',
        replies: 0,
        refusals: 0,
        fileName: '',
        size: 0,
        announced: '',
        outcome: 'open',
        bytes: 0,
      }),
    initial: 'wait_key',
    on: interruptedOnSocketError,
    states: {
      wait_key: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          'frame.key': { target: 'ready', actions: { type: 'write', params: { bytes: CLIENT_KEY } } },
        },
      },
      ready: {
        tags: [READING_TAG, QUIET_TAG],
        on: {
          ...unsolicited,
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
                assign({ asked: ({ event }) => askedFile(event.text), lastSaved: undefined }),
              ],
            },
          ],
        },
      },
      wait_reply: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          'frame.reply': [
            {
              guard: { type: 'answersDl', params: ({ event }) => ({ text: event.text }) },
              target: 'check_room',
              actions: assign(({ context, event }) => ({
                fileName: baseName(required(context.asked, 'asked name')),
                size: required(announcedSize(event.text), 'announced size').size,
                announced: required(announcedSize(event.text), 'announced size').digits,
                bytes: 0,
              })),
            },
            {
              guard: { type: 'isMalformedSize', params: ({ event }) => ({ text: event.text }) },
              target: 'failed',
              actions: {
                type: 'finish',
                params: ({ event }) => ({
                  outcome: 'server_error',
                  code: 'protocol.violation',
                  detail: `the server announced a size that is no whole number: ${JSON.stringify(sizeField(event.text))}`,
                }),
              },
            },
            {
              guard: { type: 'isDlAnswer', params: ({ event }) => ({ text: event.text }) },
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
      check_room: checkRoomState<Context>(
        'downloading',
        (context) => `${context.announced} bytes of ${context.fileName}`,
      ),
      downloading: {
        ...download,
        on: {
          ...download.on,
          'socket.end': {
            target: 'failed',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                outcome: 'interrupted',
                code: 'peer.ended_early',
                detail: `reply cut short: the server closed after ${context.bytes} of ${context.announced} bytes of ${context.fileName}`,
              }),
            },
          },
        },
      },
      file_stored: {
        always: {
          target: 'ready',
          actions: [
            {
              type: 'showReply',
              params: ({ context }) => ({ text: `Saved ${context.fileName} (${context.bytes} bytes)` }),
            },
            assign({ lastSaved: ({ context }) => context.fileName }),
          ],
        },
      },
      discarding: {
        invoke: {
          src: 'discard',
          input: ({ context }) => required(context.lastSaved, 'saved name'),
          onDone: { target: 'failed', actions: assign({ removed: ({ event }) => event.output }) },
          onError: {
            target: 'failed',
            actions: assign({
              detail: ({ context, event }) => `${context.detail ?? ''} (removing it failed: ${errorCode(event.error)})`,
            }),
          },
        },
      },
      wait_close: {
        tags: [READING_TAG, QUIET_TAG],
        on: {
          ...peerIdleFails(FAILED),
          ...unsolicited,
          'socket.end': {
            target: 'session_complete',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                ...(context.refusals > 0
                  ? { outcome: 'refused' as const, code: 'peer.refused' as const }
                  : { outcome: 'quit' as const, code: 'ok' as const }),
                detail: `${context.replies} ${context.replies === 1 ? 'reply' : 'replies'}, ${context.refusals} refused`,
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
