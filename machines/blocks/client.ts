/**
 * The `blocks` client (seed 003), mirroring the server: it names the file,
 * reads the answer line, then writes exactly the announced bytes to a local
 * file that appears only once all of them are there and synced.
 */
import { fromPromise, setup } from 'xstate';
import { bulkActions } from '../../src/engine/bulk-actions';
import { receiveIntoSink, peerIdleFails } from '../../src/engine/bulk-states';
import { fileSink, type SinkEvent } from '../../src/engine/file-actors';
import { checkRoomState } from '../../src/engine/check-room-state';
import {
  interruptedOnSocketError,
  outcomeFrom,
  protocolErrorOnBadFrame,
  type EngineCode,
  type PeerCode,
  type SocketCode,
} from '../../src/engine/outcome';
import { READING_TAG, type SessionOutcome, type WireEvent, type MachineEmitted } from '../../src/engine/protocol';
import { encodeFileRequest } from './codec';
import type { BlocksReplyFrame } from './reply-reader';
import { checkTargets, targetsIn } from '../../src/engine/state-targets';
import { unprovided } from '../../src/engine/unprovided';
import { extended } from '../../src/engine/extended';

export interface BlocksClientInput {
  /** The file's name on the server. */
  serverName: string;
  idleTimeoutMs?: number;
}

type BlocksClientOutcome =
  'open' | 'downloaded' | 'refused' | 'local_error' | 'protocol_error' | 'interrupted' | 'timed_out';

/** Why a blocks client's session ended; `peer.refused` is the server's `ERR` line. */
type BlocksClientCode =
  SocketCode | EngineCode | Extract<PeerCode, 'peer.refused' | 'peer.ended_early' | 'protocol.violation'>;

interface Context extends BlocksClientInput {
  size: number;
  outcome: BlocksClientOutcome;
  code?: BlocksClientCode;
  detail?: string;
  bytes: number;
}

type Event = BlocksReplyFrame | WireEvent | SinkEvent;

/** The states targeted by id (shared fragments, other levels): `checkTargets` proves each exists. */
type Targeted = 'download_complete' | 'failed';
const MACHINE_ID = 'blocks-client';
const at = targetsIn<Targeted>()(MACHINE_ID);
const FAILED = at('failed');
const output = outcomeFrom<BlocksClientOutcome>(['downloaded']);

/** The blocks client; its local file's actors come through `provide` (client-actors.ts). */
export const blocksClientMachine = checkTargets<Targeted>()(
  setup({
    types: {
      context: {} as Context,
      input: {} as BlocksClientInput,
      events: {} as Event,
      emitted: {} as MachineEmitted,
      output: {} as SessionOutcome,
    },
    actors: {
      checkRoom: fromPromise<boolean, { size: number }>(unprovided('checkRoom')),
      sink: fileSink(unprovided('sink')),
    },
    actions: bulkActions<Context, Event>(),
  }).createMachine({
    id: MACHINE_ID,
    context: ({ input }) => extended(input, { size: 0, outcome: 'open', bytes: 0 }),
    initial: 'send_request',
    on: {
      ...interruptedOnSocketError,
      ...protocolErrorOnBadFrame,
      'socket.end': {
        target: '.failed',
        actions: {
          type: 'finish',
          params: ({ context }) => ({
            outcome: 'interrupted',
            code: 'peer.ended_early',
            detail: `the server closed after ${context.bytes} of ${context.size} bytes`,
          }),
        },
      },
    },
    states: {
      send_request: {
        entry: [
          { type: 'write', params: ({ context }) => ({ bytes: encodeFileRequest(context.serverName) }) },
          'flush',
        ],
        // The name's newline ends the request; the client's side stays open until the file is stored.
        on: { ...peerIdleFails(FAILED), 'wire.flushed': 'wait_answer' },
      },
      wait_answer: {
        tags: READING_TAG,
        on: {
          ...peerIdleFails(FAILED),
          'frame.ok': {
            target: 'check_room',
            actions: { type: 'setSize', params: ({ event }) => ({ size: event.size }) },
          },
          'frame.err': {
            target: 'file_refused',
            actions: {
              type: 'finish',
              params: ({ event }) => ({
                outcome: 'refused',
                code: 'peer.refused',
                detail: event.reason,
              }),
            },
          },
        },
      },
      check_room: checkRoomState<Context>('receiving_blocks'),
      receiving_blocks: receiveIntoSink({
        ref: (context: Context) => context.serverName,
        storedTarget: at('download_complete'),
        outcome: 'downloaded' as const,
        failure: 'local_error' as const,
        failedTarget: FAILED,
        thenPeerEnds: true,
      }),
      download_complete: { type: 'final' },
      file_refused: { type: 'final' },
      failed: { type: 'final', entry: 'reset' },
    },
    output: ({ context }) => output(context),
  }),
);
