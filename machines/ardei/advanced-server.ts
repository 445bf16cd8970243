/**
 * One connection of ardei's advanced server (seed 000): the key exchange,
 * then commands until `quit`: `ls` lists the working directory, `chdir`
 * moves it, `dl` sends a file after announcing its size. Each connection has
 * its own working directory, always inside the served root. Commands come
 * framed (`929Z` or a newline, advanced-readers.ts), so no quiet period
 * applies: a command split over writes waits for its end, as the original's does.
 */
import { assign, fromPromise, setup } from 'xstate';
import { required } from '../../src/engine/required';
import { bulkActions } from '../../src/engine/bulk-actions';
import { peerIdleFails, rearmedByProgress, sendFromSource } from '../../src/engine/bulk-states';
import { fileSource, type SourceEvent } from '../../src/engine/file-actors';
import { interruptedOnSocketError, outcomeFrom, type EngineCode, type SocketCode } from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import type { DownloadLookup, OutgoingFile } from '../../src/storage/file-store';
import {
  INVALID_FILE,
  NOT_A_DIRECTORY,
  SERVER_KEY,
  UNRECOGNIZED,
  chdirReply,
  dlHeader,
  listingReply,
  parseCommand,
  resolveFrom,
  type AdvancedCommand,
} from './advanced-codec';
import type { AdvancedRequestFrame } from './advanced-readers';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';
import { extended } from '../../src/engine/extended';

/** The served folder: the transfer server's jailed folder does all of this. */
export interface AdvancedFiles {
  directory(path: string): Promise<{ folders: string[]; files: string[] } | undefined>;
  lookupDownload(name: string, owner: string): DownloadLookup | Promise<DownloadLookup>;
  release(owner: string): void;
  read(ref: string, size: number): OutgoingFile;
}

export interface AdvancedServerInput {
  owner: string;
  /** The longest command read (the decoder's cap). */
  maxRequest: number;
  idleTimeoutMs?: number;
}

type AdvancedOutcome = 'open' | 'quit' | 'left' | 'interrupted' | 'timed_out';
/** Why an advanced session ended. */
type AdvancedCode =
  | SocketCode
  | Exclude<EngineCode, 'storage.no_room'>
  /** The client ended its side without `quit` (before its key, or after some commands). */
  | 'peer.left';

interface Context extends AdvancedServerInput {
  /** The command being answered. */
  command: string;
  cwd: string;
  commands: number;
  ref?: string;
  size: number;
  outcome: AdvancedOutcome;
  code?: AdvancedCode;
  detail?: string;
  bytes: number;
}

type Event = AdvancedRequestFrame | WireEvent | SourceEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'failed' | 'wait_command';
const MACHINE_ID = 'ardei-advanced-server';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<AdvancedOutcome>(['quit', 'left']);
/** `1 command`, `3 commands`: how many a session answered, for its last log line. */
const commandsDone = (count: number) => `${count} command${count === 1 ? '' : 's'}`;
const commandOf = (context: Context): AdvancedCommand => parseCommand(context.command);
/** The argument of `chdir` or `dl`, when it has one. */
const pathOf = (context: Context) => (commandOf(context) as { path?: string }).path;
const target = (context: Context) => resolveFrom(context.cwd, required(pathOf(context), 'path'));
const is =
  (kind: AdvancedCommand['kind']) =>
  ({ context }: { context: Context }) =>
    commandOf(context).kind === kind;

/** One connection of the advanced ardei server; its file actors come through `provide` (advanced-actors.ts). */
export const ardeiAdvancedServerMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as AdvancedServerInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      directory: fromPromise<{ folders: string[]; files: string[] } | undefined, string>(unprovided('directory')),
      lookup: fromPromise<DownloadLookup, { name: string; owner: string }>(unprovided('lookup')),
      source: fileSource(unprovided('source')),
    },
    actions: {
      ...bulkActions<Context, Event>(),
      nextCommand: assign(({ context }) => ({ commands: context.commands + 1 })),
    },
    guards: {
      isLs: is('ls'),
      // `chdir` with no argument is not a directory; `chdir ` (empty) is the working directory.
      isChdir: ({ context }) => commandOf(context).kind === 'chdir' && pathOf(context) !== undefined,
      isChdirAlone: is('chdir'),
      // `dl` with no name, or an empty one, is not a file.
      isDl: ({ context }) => commandOf(context).kind === 'dl' && Boolean(pathOf(context)),
      isDlAlone: is('dl'),
      isQuit: is('quit'),
    },
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { command: '', cwd: '', commands: 0, size: 0, outcome: 'open', bytes: 0 }),
    initial: 'send_key',
    on: interruptedOnSocketError,
    states: {
      send_key: {
        entry: [{ type: 'write', params: { bytes: SERVER_KEY } }, 'flush'],
        on: { ...peerIdleFails(FAILED), 'wire.flushed': 'wait_key' },
      },
      wait_key: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          // The key is the connection's first request: announcing it meets the request deadline, so a person may take
          // their time at the prompt (the idle timeout bounds that); each command then has a deadline of its own.
          'frame.key': {
            target: 'wait_command',
            actions: { type: 'announce', params: { summary: 'client key accepted', event: 'key' } },
          },
          // A client that ended its side is done: nothing it could still send would reach us.
          'socket.end': {
            target: 'session_complete',
            actions: {
              type: 'finish',
              params: { outcome: 'left', code: 'peer.left', detail: 'the client left before its key' },
            },
          },
        },
      },
      wait_command: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          ...rearmedByProgress('wait_command'),
          // A reader still taking a file it asked for is no idle client: its acknowledgements start the idle watchdog over.
          'frame.command': { target: 'run_command', actions: assign({ command: ({ event }) => event.text }) },
          'socket.end': {
            target: 'session_complete',
            actions: {
              type: 'finish',
              params: ({ context }) => ({
                outcome: 'left',
                code: 'peer.left',
                detail: `the client left without quit after ${commandsDone(context.commands)}`,
              }),
            },
          },
        },
      },
      run_command: {
        entry: {
          type: 'announce',
          params: ({ context }) => ({
            summary: `${context.cwd || '/'}: ${context.command.slice(0, 60)}`,
            operation: commandOf(context).kind,
            name: pathOf(context),
          }),
        },
        always: [
          { guard: 'isLs', target: 'listing' },
          { guard: 'isChdir', target: 'changing_directory' },
          {
            guard: 'isChdirAlone',
            target: 'wait_command',
            actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'],
          },
          { guard: 'isDl', target: 'check_file' },
          {
            guard: 'isDlAlone',
            target: 'wait_command',
            actions: [{ type: 'write', params: { bytes: INVALID_FILE } }, 'nextCommand'],
          },
          {
            guard: 'isQuit',
            target: 'session_complete',
            actions: {
              type: 'finish',
              params: ({ context }) => ({ outcome: 'quit', code: 'ok', detail: commandsDone(context.commands) }),
            },
          },
          { target: 'wait_command', actions: [{ type: 'write', params: { bytes: UNRECOGNIZED } }, 'nextCommand'] },
        ],
      },
      listing: {
        invoke: {
          src: 'directory',
          input: ({ context }) => context.cwd,
          onDone: {
            target: 'wait_command',
            actions: [
              {
                type: 'write',
                params: ({ context, event }) => ({
                  bytes: listingReply(context.cwd, event.output?.folders ?? [], event.output?.files ?? []),
                }),
              },
              'nextCommand',
            ],
          },
          onError: {
            target: 'wait_command',
            actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'],
          },
        },
      },
      changing_directory: {
        invoke: {
          src: 'directory',
          input: ({ context }) => target(context),
          onDone: [
            {
              guard: ({ event }) => event.output !== undefined,
              target: 'wait_command',
              actions: [
                { type: 'write', params: ({ context }) => ({ bytes: chdirReply(target(context)) }) },
                assign({ cwd: ({ context }) => target(context) }),
                'nextCommand',
              ],
            },
            { target: 'wait_command', actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'] },
          ],
          onError: {
            target: 'wait_command',
            actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'],
          },
        },
      },
      check_file: {
        invoke: {
          src: 'lookup',
          input: ({ context }) => ({ name: target(context), owner: context.owner }),
          onDone: [
            {
              guard: ({ event }) => event.output.kind === 'found',
              target: 'sending_file',
              actions: [
                assign(({ event }) =>
                  event.output.kind === 'found' ? { ref: event.output.ref, size: event.output.size } : {},
                ),
                {
                  type: 'write',
                  params: ({ context, event }) => ({
                    bytes: dlHeader(
                      required(pathOf(context), 'path'),
                      event.output.kind === 'found' ? event.output.size : 0,
                    ),
                  }),
                },
              ],
            },
            { target: 'wait_command', actions: [{ type: 'write', params: { bytes: INVALID_FILE } }, 'nextCommand'] },
          ],
          onError: {
            target: 'wait_command',
            actions: [{ type: 'write', params: { bytes: INVALID_FILE } }, 'nextCommand'],
          },
        },
      },
      sending_file: sendFromSource({
        ref: (context: Context) => context.ref ?? '',
        sentTarget: at('wait_command'),
        then: 'nextCommand' as const,
        failure: 'interrupted' as const,
        failedTarget: FAILED,
      }),
      session_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  }),
);
