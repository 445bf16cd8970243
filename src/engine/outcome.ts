/**
 * How a machine records the way its session ends, the same for every protocol
 * that uses it: a `finish` action sets a short stable word (`outcome`), a
 * stable `code` from the protocol's closed union saying why, and a detail for
 * people; the machine's output turns them into the engine's `SessionOutcome`.
 * Behaviour (exit codes, replay's rebuilt world) follows the code, never the detail.
 */
import type { SessionOutcome } from './protocol';
import { errnoWords } from '../log/errno-words';

/**
 * The codes the engine's shared states finish with (socket errors, idle peers,
 * the file actors), part of every protocol's union that uses those states.
 */
export type EngineCode =
  /** The session did what was asked. */
  | 'ok'
  /** The socket failed (detail: the errno). */
  | 'socket.error'
  /** Nothing listens at the peer's address: the connection, or over UDP the datagram, was refused (ECONNREFUSED). */
  | 'peer.unreachable'
  /** A datagram was larger than UDP carries (EMSGSIZE). */
  | 'datagram.too_large'
  /** The peer sent nothing for the idle timeout. */
  | 'peer.idle'
  /** A file being sent could not be read (detail: the errno). */
  | 'file.unreadable'
  /** A file being sent ended at another size than announced, or was rewritten while it was read. */
  | 'file.size_changed'
  /** A file being received could not be written or stored (detail: the errno). */
  | 'file.unwritable'
  /** Not enough free space for the file (on the server, or locally for a download). */
  | 'storage.no_room'
  /** The machine never finished: the loop stopped it (shutdown's grace ran out, a second signal) or it threw. */
  | 'session.aborted'
  /** A file's bytes did not hash to the SHA-256 its sender gave: nothing was kept. */
  | 'file.digest_mismatch'
  /** A file being received grew past the receiver's cap (`--max-size`): nothing was kept. */
  | 'file.too_large';

/** How a session ends whose peer took or sent nothing for the idle timeout. */
export const PEER_IDLE = {
  outcome: 'timed_out' as const,
  code: 'peer.idle' as const,
  detail: 'nothing from the peer for the idle timeout',
};

/**
 * Params of the `finish` action: the outcome, why (a code of the protocol's closed union, never left
 * out), and a detail for people.
 */
export interface Finish<Outcome extends string = string, Code extends string = string> {
  outcome: Outcome;
  code: Code;
  detail?: string;
}

/** What a machine's context keeps of how its session ends: no code until it has finished. */
export interface OutcomeFields<Outcome extends string = string, Code extends string = string> {
  outcome: Outcome;
  code?: Code;
  detail?: string;
  /** Payload bytes moved. */
  bytes: number;
}

/** The `finish` action every machine declares: it keeps the outcome, its code and its detail in context. */
export const finishAction =
  <Outcome extends string, Code extends string>() =>
  (_: unknown, params: Finish<Outcome, Code>) => ({
    outcome: params.outcome,
    code: params.code,
    detail: params.detail,
  });

/** The machine's output, `ok` when its outcome is one of `successes`. A machine that ends without `finish` is a bug: it throws. */
export function outcomeFrom<Outcome extends string>(successes: readonly Outcome[]) {
  return (context: OutcomeFields<Outcome>, extra: Partial<SessionOutcome> = {}): SessionOutcome => ({
    ok: successes.includes(context.outcome),
    outcome: context.outcome,
    code: codeOf(context),
    bytes: context.bytes,
    detail: context.detail,
    ...extra,
  });
}

/** What the peer did, in the codes every protocol's machines share for it. */
export type PeerCode =
  /** The peer turned the request down (transfer's `N`, share's `cancel`, an `ERR` line; detail: its reason, if given). */
  | 'peer.refused'
  /** The peer answered with an error (transfer's `E`, a reply the protocol calls an error). */
  | 'peer.error'
  /** The peer closed or reset its side before the session was done (detail: the errno, if any). */
  | 'peer.ended_early'
  /** Bytes or a reply the protocol does not allow at that point. */
  | 'protocol.violation'
  /** The peer's reply grew past the cap the client reads (detail: the cap). */
  | 'reply.too_large';

/** The codes the file actors fail with (file-actors.ts). */
export type FileCode = Extract<
  EngineCode,
  'file.unreadable' | 'file.size_changed' | 'file.unwritable' | 'file.digest_mismatch' | 'file.too_large'
>;

/** The codes `interruptedOnSocketError` finishes with: part of every protocol's union. */
export type SocketCode = Extract<EngineCode, 'socket.error' | 'peer.unreachable' | 'datagram.too_large'>;

function codeOf(context: OutcomeFields): string {
  if (context.code === undefined) throw new Error(`the session ended (${context.outcome}) without a code`);
  return context.code;
}

/** The code of a socket error, from its errno: the two a user can act on have codes of their own. */
export function socketErrorCode(errno: string): SocketCode {
  if (errno === 'ECONNREFUSED') return 'peer.unreachable';
  return errno === 'EMSGSIZE' ? 'datagram.too_large' : 'socket.error';
}

/** The root transition of a client whose reply reader flags bytes it cannot read (`frame.bad`): `failed`, `protocol_error`. */
export const protocolErrorOnBadFrame = {
  'frame.bad': {
    target: '.failed',
    actions: {
      type: 'finish' as const,
      params: ({ event }: { event: { detail: string } }) => ({
        outcome: 'protocol_error' as const,
        code: 'protocol.violation' as const,
        detail: event.detail,
      }),
    },
  },
};

/** How a session ends whose socket broke with `code` (an errno, or the loop's own: a limit it cut for, `closed`). */
export const interruptedBy = (code: string) => ({
  outcome: 'interrupted' as const,
  code: socketErrorCode(code),
  detail: errnoWords(code),
});

/** The root transition of every connection machine: a broken socket ends it in `failed`, `interrupted`. */
export const interruptedOnSocketError = {
  'socket.error': {
    target: '.failed',
    actions: {
      type: 'finish' as const,
      params: ({ event }: { event: { code: string } }) => interruptedBy(event.code),
    },
  },
};
