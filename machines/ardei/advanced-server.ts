/**
 * One connection of ardei's advanced server (seed 000): the key exchange,
 * then commands until `quit`: `ls` lists the working directory, `chdir`
 * moves it, `dl` sends a file after announcing its size. Each connection has
 * its own working directory, always inside the served root.
 */
import type { Readable } from 'node:stream';
import { assign, fromCallback, fromPromise, setup, type EventObject } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { sendFromSource, waitsForPeer } from '../../src/engine/bulk-states';
import { fileSource, type SourceEvent } from '../../src/engine/file-actors';
import { idleDelay } from '../../src/engine/idle';
import { interruptedOnSocketError, outcomeFrom } from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type SessionRequest, type WireCommand, type WireEvent } from '../../src/engine/protocol';
import { readLines } from '../../src/engine/text-request';
import { appendToRequest, readsTextRequest, textRequestRules, type TextRequestContext } from '../../src/engine/text-request-state';
import type { DownloadLookup } from '../transfer/files';
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

/** The served folder: the transfer server's jailed folder does all of this. */
export interface AdvancedFiles {
  directory(path: string): Promise<{ folders: string[]; files: string[] } | undefined>;
  lookupDownload(name: string, owner: string): Promise<DownloadLookup>;
  release(owner: string): void;
  read(ref: string, size: number): Readable;
}

export interface AdvancedServerInput {
  owner: string;
  maxRequest: number;
  quietMs?: number;
  idleTimeoutMs?: number;
}

type AdvancedOutcome = 'open' | 'quit' | 'interrupted' | 'timed_out';

interface Context extends AdvancedServerInput, TextRequestContext {
  cwd: string;
  commands: number;
  ref?: string;
  size: number;
  outcome: AdvancedOutcome;
  detail?: string;
  bytes: number;
}

type Event = AdvancedRequestFrame | WireEvent | SourceEvent;

const FAILED = '#ardei-advanced-server.failed';
const output = outcomeFrom<AdvancedOutcome>(['quit']);
const rules = textRequestRules(1);
const commandOf = (context: Context): AdvancedCommand => parseCommand(readLines(context.request, 1).lines[0]);
const target = (context: Context) => resolveFrom(context.cwd, (commandOf(context) as { path: string }).path);
const is = (kind: AdvancedCommand['kind']) => ({ context }: { context: Context }) => commandOf(context).kind === kind;

export function createArdeiAdvancedServer(files: AdvancedFiles) {
  return setup({
    types: { context: {} as Context, input: {} as AdvancedServerInput, events: {} as Event, emitted: {} as WireCommand | SessionRequest, output: {} as SessionOutcome },
    actors: {
      directory: fromPromise<{ folders: string[]; files: string[] } | undefined, string>(({ input }) => files.directory(input)),
      lookup: fromPromise<DownloadLookup, { name: string; owner: string }>(({ input }) => files.lookupDownload(input.name, input.owner)),
      holdNames: fromCallback<EventObject, { owner: string }>(({ input }) => () => files.release(input.owner)),
      source: fileSource(({ ref, size }) => files.read(ref, size)),
    },
    actions: {
      ...bulkActions<Context, Event, WireCommand | SessionRequest>(),
      appendRequest: assign(({ context }, params: { bytes: Buffer }) => appendToRequest(context, params.bytes)),
      /** Done with this command: the next one starts from an empty request. */
      nextCommand: assign(({ context }) => ({ request: Buffer.alloc(0), commands: context.commands + 1 })),
    },
    guards: { ...rules.guards, isLs: is('ls'), isChdir: is('chdir'), isDl: is('dl'), isQuit: is('quit') },
    delays: { quiet: rules.quiet, idle: idleDelay },
  }).createMachine({
    id: 'ardei-advanced-server',
    context: ({ input }) => ({ ...input, request: Buffer.alloc(0), cwd: '', commands: 0, size: 0, outcome: 'open', bytes: 0 }),
    invoke: { src: 'holdNames', input: ({ context }) => ({ owner: context.owner }) },
    initial: 'send_key',
    on: interruptedOnSocketError,
    states: {
      send_key: { entry: [{ type: 'write', params: { bytes: SERVER_KEY } }, 'flush'], ...waitsForPeer(FAILED), on: { 'wire.flushed': 'wait_key' } },
      wait_key: { tags: READING_TAG, ...waitsForPeer(FAILED), on: { 'frame.key': 'wait_command' } },
      wait_command: readsTextRequest('wait_command', 'run_command', FAILED),
      run_command: {
        entry: { type: 'announce', params: ({ context }) => ({ summary: `${context.cwd || '/'}: ${readLines(context.request, 1).lines[0].trim().slice(0, 60)}` }) },
        always: [
          { guard: 'isLs', target: 'listing' },
          { guard: 'isChdir', target: 'changing_directory' },
          { guard: 'isDl', target: 'check_file' },
          { guard: 'isQuit', target: 'session_complete', actions: { type: 'finish', params: ({ context }) => ({ outcome: 'quit', detail: `${context.commands} command(s)` }) } },
          { target: 'wait_command', actions: [{ type: 'write', params: { bytes: UNRECOGNIZED } }, 'nextCommand'] },
        ],
      },
      listing: {
        invoke: {
          src: 'directory',
          input: ({ context }) => context.cwd,
          onDone: {
            target: 'wait_command',
            actions: [{ type: 'write', params: ({ context, event }) => ({ bytes: listingReply(context.cwd, event.output?.folders ?? [], event.output?.files ?? []) }) }, 'nextCommand'],
          },
          onError: { target: 'wait_command', actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'] },
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
              actions: [{ type: 'write', params: ({ context }) => ({ bytes: chdirReply(target(context)) }) }, assign({ cwd: ({ context }) => target(context) }), 'nextCommand'],
            },
            { target: 'wait_command', actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'] },
          ],
          onError: { target: 'wait_command', actions: [{ type: 'write', params: { bytes: NOT_A_DIRECTORY } }, 'nextCommand'] },
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
                assign(({ event }) => (event.output.kind === 'found' ? { ref: event.output.ref, size: event.output.size } : {})),
                { type: 'write', params: ({ context, event }) => ({ bytes: dlHeader((commandOf(context) as { path: string }).path, event.output.kind === 'found' ? event.output.size : 0) }) },
              ],
            },
            { target: 'wait_command', actions: [{ type: 'write', params: { bytes: INVALID_FILE } }, 'nextCommand'] },
          ],
          onError: { target: 'wait_command', actions: [{ type: 'write', params: { bytes: INVALID_FILE } }, 'nextCommand'] },
        },
      },
      sending_file: sendFromSource({
        ref: (context: Context) => context.ref ?? '',
        sentTarget: '#ardei-advanced-server.wait_command',
        then: 'nextCommand' as const,
        failure: 'interrupted' as const,
        failedTarget: FAILED,
      }),
      session_complete: { type: 'final', entry: 'end' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  });
}
