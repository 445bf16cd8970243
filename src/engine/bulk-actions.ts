/**
 * Actions every machine that moves files implements the same way (the
 * transfer protocol's, the lab's `blocks`): the wire commands, the outcome,
 * and the bulk-byte plumbing between the wire and the file actors
 * (bulk-states.ts, file-actors.ts). Instantiated per machine so that each
 * keeps its own types.
 */
import { assign, sendTo, type EventObject } from 'xstate';
import { SINK_ID, SOURCE_ID, type SinkActor, type SourceActor, type SourceCommand } from './file-actors';
import type { Finish, OutcomeFields } from './outcome';
import { wireActions } from './wire-actions';

/** The context fields these actions write, with the machine's own outcome and code types. */
interface BulkContext extends OutcomeFields {
  /** The file's size, once known. */
  size: number;
}

type CodeOf<TContext extends OutcomeFields> = NonNullable<TContext['code']>;

/**
 * `TFinish`: the params the machine's `finish` takes; a protocol whose outcomes carry
 * a closed union of codes passes its own, so that a `finish` without one is a type error.
 */
export function bulkActions<
  TContext extends BulkContext,
  TEvent extends EventObject,
  TFinish extends Finish<TContext['outcome'], CodeOf<TContext>> = Finish<TContext['outcome'], CodeOf<TContext>>,
>() {
  // TypeScript cannot relate a patch of known fields to `Partial` of a generic context, hence `as Patch`: the
  // fields it names are BulkContext's, which every TContext has with these very types.
  type Patch = Partial<TContext>;
  const toSource = (command: SourceCommand) =>
    sendTo<TContext, TEvent, undefined, SourceActor, TEvent>(SOURCE_ID, command);
  return {
    ...wireActions<TContext, TEvent>(),
    finish: assign<TContext, TEvent, TFinish, TEvent, never>(
      (_, params) => ({ outcome: params.outcome, code: params.code, detail: params.detail }) as Patch,
    ),
    setSize: assign<TContext, TEvent, { size: number }, TEvent, never>((_, params) => ({ size: params.size }) as Patch),
    countBytes: assign<TContext, TEvent, { count: number }, TEvent, never>(
      ({ context }, params) => ({ bytes: context.bytes + params.count }) as Patch,
    ),
    /** The peer acknowledged bytes the source sent: progress for its watchdog. */
    sourceActive: toSource({ type: 'source.active' }),
    commit: sendTo<TContext, TEvent, undefined, SinkActor, TEvent>(SINK_ID, { type: 'sink.commit' }),
    /** Tells the sink the SHA-256 the sender gave, which its commit checks. */
    expectDigest: sendTo<TContext, TEvent, { sha256: Buffer }, SinkActor, TEvent>(SINK_ID, (_, params) => ({
      type: 'sink.expect_digest',
      sha256: params.sha256,
    })),
  };
}
