/**
 * The test protocol's one machine: it reads a line, answers it reversed and
 * closes. Written against the engine's contract alone, as a new protocol would be.
 * It visits the same states however the line is cut (a chunk that does not end
 * the line stays in `reading_line`), so its fixtures replay in every chunking.
 */
import { assign, emit, setup } from 'xstate';
import type { BytesFrame } from '../../../engine/chunk-reader';
import { READING_TAG, type SessionOutcome, type WireCommand, type WireEvent } from '../../../engine/protocol';

export interface ReverseServerInput {
  /** Longest line read, in bytes: a longer one is refused with a reset. */
  maxLine: number;
}

type ReverseOutcome = 'open' | 'replied' | 'refused' | 'interrupted';
/** Why a session ended: the closed union every outcome carries a code of (a misspelt one does not compile). */
type ReverseCode = 'ok' | 'line.too_long' | 'peer.ended_early' | 'socket.error';

interface Context extends ReverseServerInput {
  line: Buffer;
  outcome: ReverseOutcome;
  code?: ReverseCode;
}

const NEWLINE = 0x0a;

/** The reply to a line (without its newline): its characters in reverse order, newline-ended. */
export const reversed = (line: Buffer) =>
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- reversing code points keeps each character whole
  Buffer.from(`${[...line.toString('utf8')].reverse().join('')}\n`);

export const reverseServer = setup({
  types: {
    context: {} as Context,
    input: {} as ReverseServerInput,
    events: {} as BytesFrame | WireEvent,
    emitted: {} as WireCommand,
    output: {} as SessionOutcome,
  },
  guards: {
    endsLine: ({ event }) => event.type === 'frame.bytes' && event.bytes.includes(NEWLINE),
    overLimit: ({ context, event }) =>
      event.type === 'frame.bytes' && context.line.length + event.bytes.length > context.maxLine,
  },
  actions: {
    keepBytes: assign({
      line: ({ context, event }) =>
        event.type === 'frame.bytes' ? Buffer.concat([context.line, event.bytes]) : context.line,
    }),
  },
}).createMachine({
  id: 'reverse-server',
  context: ({ input }) => ({ ...input, line: Buffer.alloc(0), outcome: 'open' }),
  initial: 'reading_line',
  on: { 'socket.error': { target: '.closed', actions: assign({ outcome: 'interrupted', code: 'socket.error' }) } },
  states: {
    reading_line: {
      tags: [READING_TAG],
      on: {
        'frame.bytes': [
          { guard: 'endsLine', target: 'replying', actions: 'keepBytes' },
          {
            guard: 'overLimit',
            target: 'closed',
            actions: ['keepBytes', assign({ outcome: 'refused', code: 'line.too_long' }), emit({ type: 'wire.reset' })],
          },
          { actions: 'keepBytes' },
        ],
        'socket.end': { target: 'closed', actions: assign({ outcome: 'interrupted', code: 'peer.ended_early' }) },
      },
    },
    replying: {
      entry: [
        emit(({ context }) => ({
          type: 'wire.write' as const,
          bytes: reversed(context.line.subarray(0, context.line.indexOf(NEWLINE))),
        })),
        emit({ type: 'wire.flush' }),
      ],
      on: {
        'wire.flushed': {
          target: 'closed',
          actions: [assign({ outcome: 'replied', code: 'ok' }), emit({ type: 'wire.end' })],
        },
      },
    },
    closed: { type: 'final' },
  },
  output: ({ context }) => ({
    ok: context.outcome === 'replied',
    outcome: context.outcome,
    code: context.code ?? 'socket.error',
    bytes: context.line.length,
  }),
});
