/**
 * How bulk bytes move, shared by every protocol that moves files because a
 * server's download is its client's upload and vice versa: the file source
 * onto the wire with the socket's backpressure, and `frame.data` chunks (up to
 * `frame.data_end`, as the protocol's decoder frames them) into the file sink
 * with the disk's. Sending, the source writes onto the wire itself; receiving,
 * the frame pump hands chunks to the sink. Each actor counts the bytes, keeps
 * the idle watchdog and reports coarse progress: the machine steps on
 * progress, a full disk, a stall, the end and failures only, never per chunk.
 * Either way a transfer that is moving is never cut, one that stalls is.
 */
import { errorDetail } from '../storage/name-error-words';
import { SINK_ID, SOURCE_ID, type FileFailure } from './file-actors';
import { PEER_IDLE, type FileCode } from './outcome';
import type { StateTarget } from './state-targets';
import { idleDelay, PEER_IDLE_EVENT, restartsIdle } from './idle';
import { BULK_IN_TAG, BULK_OUT_TAG, BULK_TAG, FLOW_CONTROL_TAG, READING_TAG } from './protocol';

/** The frame that carries a file's SHA-256 after its bytes (a string key: only the transfer protocol has it). */
const DIGEST_FRAME = 'frame.digest' as string;

/** The `finish` params for a file actor's failure: its code and detail, under the protocol's `outcome`. */
const failureOf =
  <Outcome extends string>(outcome: Outcome) =>
  ({ event }: { event: FileFailure<FileCode> }) => ({ outcome, code: event.code, detail: event.detail });

/** What a file actor's `file.stalled` and the idle watchdog's `peer.idle` do: the peer sent or took nothing for the idle timeout. */
const stalledTo = (failedTarget: StateTarget) => ({
  target: failedTarget,
  actions: { type: 'finish' as const, params: PEER_IDLE },
});

/**
 * The `on` entry of a state that waits for the peer: the idle watchdog's `peer.idle` (idle-watchdog.ts), nothing
 * from the peer for the idle timeout, fails the connection.
 */
export function peerIdleFails(failedTarget: StateTarget) {
  return { [PEER_IDLE_EVENT]: stalledTo(failedTarget) };
}

/**
 * For a state that waits while bytes it sent may still be on their way (an upload's end, a long message):
 * the loop's `wire.progress`, the peer acknowledging more of them, re-enters `state`, which starts its idle
 * period over. So the idle timeout there means no progress either way. `state` must have no entry actions.
 */
export function rearmedByProgress(state: string) {
  return { 'wire.progress': { target: state, reenter: true, actions: restartsIdle } };
}

export interface FileDelivery<
  Outcome extends string,
  Context extends { size: number },
  Then extends string,
  Src extends string = typeof SOURCE_ID,
> {
  /** The handle the source actor opens: a server's resolved path (a client's one local file ignores it). */
  ref(context: Context): string;
  /** Where to go once every byte has left, with `outcome` if given, then the machine's action `then` if given. */
  sentTarget: StateTarget;
  outcome?: Outcome;
  then?: Then;
  /** The outcome when the file cannot be read. */
  failure: Outcome;
  failedTarget: StateTarget;
  /** Whether the source hashes the file (SHA-256) as it reads it: `file.done` then carries the digest. */
  digest?: (context: Context) => boolean;
  /** A resumed transfer: the bytes before this the peer already has (read and hashed, not sent). */
  start?: (context: Context) => number;
  /**
   * The actor that reads the bytes, when not the machine's `source`: one whose bytes have no length
   * known ahead (a listing), sent until its reads end (`untilEnd`).
   */
  untilEndFrom?: Src;
}

/** The bytes a file actor reports, added to the machine's count. */
const countProgress = {
  type: 'countBytes' as const,
  params: ({ event }: { event: { bytes: number } }) => ({ count: event.bytes }),
};

/**
 * A state that invokes the `source` actor, which writes the file onto the wire
 * as fast as the socket takes it (BULK_OUT_TAG); once every byte has left, it
 * goes to `sentTarget`. A file that cannot be read fails the connection.
 */
export function sendFromSource<
  Outcome extends string,
  Context extends { size: number; idleTimeoutMs?: number },
  Then extends string = never,
  Src extends string = typeof SOURCE_ID,
>(delivery: FileDelivery<Outcome, Context, Then, Src>) {
  const { sentTarget, outcome, then, failure, failedTarget, digest } = delivery;
  // NoInfer: `Then` comes from `then` alone, never from the state config the result is placed in.
  const finished: ({ type: 'finish'; params: { outcome: Outcome; code: 'ok' } } | NoInfer<Then>)[] = [
    ...(outcome ? [{ type: 'finish' as const, params: { outcome, code: 'ok' as const } }] : []),
    ...(then ? [then] : []),
  ];
  const notOpened = {
    type: 'finish' as const,
    params: ({ event }: { event: { error: unknown } }) => ({
      outcome: failure,
      code: 'file.unreadable' as const,
      detail: errorDetail(event.error),
    }),
  };
  return {
    invoke: {
      id: SOURCE_ID,
      // NoInfer: `Src` comes from `untilEndFrom` alone, never from the state config the result is placed in.
      src: (delivery.untilEndFrom ?? SOURCE_ID) as NoInfer<Src>,
      input: ({ context }: { context: Context }) => ({
        ref: delivery.ref(context),
        size: context.size,
        idleMs: idleDelay({ context }),
        digest: digest?.(context) ?? false,
        start: delivery.start?.(context) ?? 0,
        untilEnd: delivery.untilEndFrom !== undefined,
      }),
      onError: { target: failedTarget, actions: notOpened },
    },
    initial: 'sending' as const,
    on: {
      'file.progress': { actions: countProgress },
      // With a digest wanted, the file's SHA-256 follows its last byte (the transfer extension's DIGEST).
      // The end carries the last bytes the source had not reported yet: counted before the outcome is.
      'file.done': digest
        ? [
            {
              guard: ({ context }: { context: Context }) => digest(context),
              target: sentTarget,
              actions: [
                countProgress,
                {
                  type: 'write' as const,
                  params: ({ event }: { event: { sha256?: Buffer } }) => ({ bytes: event.sha256 ?? Buffer.alloc(0) }),
                },
                ...finished,
              ],
            },
            { target: sentTarget, actions: [countProgress, ...finished] },
          ]
        : { target: sentTarget, actions: [countProgress, ...finished] },
      'file.error': { target: failedTarget, actions: { type: 'finish' as const, params: failureOf(failure) } },
      'file.stalled': stalledTo(failedTarget),
    },
    states: {
      // The source writes the file's chunks onto the wire itself (BULK_OUT_TAG): this state is not stepped per chunk.
      sending: {
        tags: [BULK_TAG, BULK_OUT_TAG],
        // The peer acknowledging bytes sent earlier (clients) keeps the source's watchdog from calling it a stall.
        on: { 'wire.progress': { actions: 'sourceActive' as const } },
      },
    },
  };
}

export interface FileReceipt<Outcome extends string, Context extends { size: number }> {
  /** The handle the sink actor opens: a server's resolved path (a client's one local file ignores it). */
  ref(context: Context): string;
  /** Where to go once the file is stored, with `outcome`. */
  storedTarget: StateTarget;
  /**
   * Where to go instead, once stored, when `confirmed.when` holds: a state that tells the peer the file
   * is stored (the transfer extension's STORED_REPLY).
   */
  confirmed?: { target: StateTarget; when: (context: Context) => boolean };
  outcome: Outcome;
  /** The outcome when the file cannot be written. */
  failure: Outcome;
  failedTarget: StateTarget;
  /**
   * Whether the sender follows the file with its SHA-256 (`frame.digest`): the sink hashes the bytes as
   * they pass and keeps the file only if they match; if they do not, the machine goes to
   * `mismatch.target` with `mismatch.outcome` (default: `failedTarget`, `failure`).
   */
  digest?: (context: Context) => boolean;
  mismatch?: { outcome: Outcome; target: StateTarget };
  /**
   * How the file's bytes and its end arrive: framed (`frame.data` then `frame.data_end`, the default),
   * or as the rest of the stream (`frame.bytes` until the peer ends its side: `socket.end`).
   */
  framing?: 'framed' | 'until-end';
  /**
   * Framed only (a client): keep the file only once the peer has also ended its side after it, so that
   * bytes past the announced size (the root's frame for them fails the session) leave no file.
   */
  thenPeerEnds?: boolean;
  /** A resumable file: kept under `tag` if interrupted, continued after the `start` bytes kept of an earlier attempt. */
  resume?: (context: Context) => { start: number; tag: string } | undefined;
  /** The most bytes kept of a file of unknown size; past it the file is dropped and the session fails (`file.too_large`). */
  limit?: (context: Context) => { bytes: number; detail: string } | undefined;
}

/**
 * A state that invokes the `sink` actor and reads the file's bytes into it
 * while the disk keeps up, then commits at the file's end; once stored, it
 * goes to `storedTarget`. A file that cannot be written fails the connection.
 */
export function receiveIntoSink<Outcome extends string, Context extends { size: number; idleTimeoutMs?: number }>(
  receipt: FileReceipt<Outcome, Context>,
) {
  const { storedTarget, outcome, failure, failedTarget } = receipt;
  const endEvent = receipt.framing === 'until-end' ? 'socket.end' : 'frame.data_end';
  const stored = { type: 'finish' as const, params: { outcome, code: 'ok' as const } };
  const { digest, confirmed } = receipt;
  /** Once the file's bytes (and its digest, if one follows) are in: wait for the peer's end, or commit. */
  const afterFile = receipt.thenPeerEnds
    ? { target: 'wait_peer_end', actions: [] as 'commit'[] }
    : { target: 'storing', actions: ['commit' as const] };
  return {
    invoke: {
      id: SINK_ID,
      src: SINK_ID,
      input: ({ context }: { context: Context }) => ({
        ref: receipt.ref(context),
        size: context.size,
        idleMs: idleDelay({ context }),
        digest: receipt.digest?.(context) ?? false,
        limit: receipt.limit?.(context),
        ...receipt.resume?.(context),
      }),
      onError: {
        target: failedTarget,
        actions: {
          type: 'finish' as const,
          params: ({ event }: { event: { error: unknown } }) => ({
            outcome: failure,
            code: 'file.unwritable' as const,
            detail: errorDetail(event.error),
          }),
        },
      },
    },
    on: {
      'file.progress': { actions: countProgress },
      'file.error': [
        ...(receipt.mismatch
          ? [
              {
                guard: ({ event }: { event: { code: string } }) => event.code === 'file.digest_mismatch',
                target: receipt.mismatch.target,
                actions: { type: 'finish' as const, params: failureOf(receipt.mismatch.outcome) },
              },
            ]
          : []),
        { target: failedTarget, actions: { type: 'finish' as const, params: failureOf(failure) } },
      ],
    },
    initial: 'receiving' as const,
    states: {
      // The frame pump hands the file's chunks to the sink itself (BULK_IN_TAG): this state is not stepped per chunk.
      receiving: {
        tags: [READING_TAG, BULK_TAG, BULK_IN_TAG],
        on: {
          'file.full': 'disk_busy',
          'file.stalled': stalledTo(failedTarget),
          [endEvent]: [
            ...(digest
              ? [{ guard: ({ context }: { context: Context }) => digest(context), target: 'wait_digest' }]
              : []),
            afterFile,
          ],
        },
      },
      ...(digest && {
        wait_digest: {
          tags: READING_TAG,
          on: {
            ...peerIdleFails(failedTarget),
            [DIGEST_FRAME]: {
              ...afterFile,
              actions: [
                {
                  type: 'expectDigest' as const,
                  params: ({ event }: { event: { sha256?: Buffer } }) => ({ sha256: event.sha256 ?? Buffer.alloc(0) }),
                },
                ...afterFile.actions,
              ],
            },
          },
        },
      }),
      disk_busy: { tags: [FLOW_CONTROL_TAG, BULK_TAG], on: { 'file.drain': 'receiving' } },
      wait_peer_end: {
        tags: READING_TAG,
        on: { ...peerIdleFails(failedTarget), 'socket.end': { target: 'storing', actions: 'commit' as const } },
      },
      storing: {
        on: {
          'file.stored': confirmed
            ? [
                {
                  guard: ({ context }: { context: Context }) => confirmed.when(context),
                  target: confirmed.target,
                  actions: stored,
                },
                { target: storedTarget, actions: stored },
              ]
            : { target: storedTarget, actions: stored },
        },
      },
    },
  };
}
