/**
 * Actions every machine that moves files implements the same way (the
 * transfer protocol's, the lab's `blocks`): the wire commands, the outcome,
 * and the bulk-byte plumbing between the wire and the file actors
 * (bulk-states.ts, file-actors.ts). Instantiated per machine so that each
 * keeps its own types.
 */
import { assign, sendTo, type AnyActorRef, type EventObject } from 'xstate';
import type { Finish, OutcomeFields } from './outcome';
import { wireActions } from './wire-actions';

interface BulkContext extends OutcomeFields {
  /** The file's size, once known. */
  size: number;
}

/**
 * `TFinish`: the params the machine's `finish` takes; a protocol whose outcomes carry
 * a closed union of codes passes its own, so that a `finish` without one is a type error.
 */
export function bulkActions<TContext extends BulkContext, TEvent extends EventObject, TEmitted extends EventObject, TFinish extends Finish<TContext['outcome']> = Finish<TContext['outcome']>>() {
  const toChild = (id: 'source' | 'sink', type: string) => sendTo<TContext, TEvent, undefined, AnyActorRef, TEvent, never, never>(id, { type });
  return {
    ...wireActions<TContext, TEvent, TEmitted>(),
    finish: assign<TContext, TEvent, TFinish, TEvent, never>((_, params) => ({ outcome: params.outcome, code: params.code, detail: params.detail }) as Partial<TContext>),
    setSize: assign<TContext, TEvent, { size: number }, TEvent, never>((_, params) => ({ size: params.size }) as Partial<TContext>),
    countBytes: assign<TContext, TEvent, { chunk: Buffer }, TEvent, never>(
      ({ context }, params) => ({ bytes: context.bytes + params.chunk.length }) as Partial<TContext>,
    ),
    pauseSource: toChild('source', 'source.pause'),
    resumeSource: toChild('source', 'source.resume'),
    forwardChunk: sendTo<TContext, TEvent, { chunk: Buffer }, AnyActorRef, TEvent, never, never>(
      'sink',
      (_: unknown, params: { chunk: Buffer }) => ({ type: 'sink.write', chunk: params.chunk }),
    ),
    commit: toChild('sink', 'sink.commit'),
  };
}
