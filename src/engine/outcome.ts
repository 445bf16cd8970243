/**
 * How a machine records the way its session ends, the same for every protocol
 * that uses it: a `finish` action sets a short stable word (`outcome`), a
 * stable `code` from the protocol's closed union saying why, and a detail for
 * people; the machine's output turns them into the engine's `SessionOutcome`.
 * Behaviour (exit codes, replay's rebuilt world) follows the code, never the detail.
 */
import type { SessionOutcome } from './protocol';

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
  /** A file being sent ended at another size than announced. */
  | 'file.size_changed'
  /** A file being received could not be written or stored (detail: the errno). */
  | 'file.unwritable'
  /** A file's bytes did not hash to the SHA-256 its sender gave: nothing was kept. */
  | 'file.digest_mismatch';

/** Params of the `finish` action: the outcome, why (a code of the protocol's closed union), and a detail for people. */
export type Finish<Outcome extends string = string, Code extends string = string> = {
  outcome: Outcome;
  code?: Code;
  detail?: string;
};

export interface OutcomeFields<Outcome extends string = string, Code extends string = string> extends Finish<
  Outcome,
  Code
> {
  /** Payload bytes moved. */
  bytes: number;
}

/** The machine's output, `ok` when its outcome is one of `successes`. */
export function outcomeFrom<Outcome extends string>(successes: readonly Outcome[]) {
  return (context: OutcomeFields<Outcome>, extra: Partial<SessionOutcome> = {}): SessionOutcome => ({
    ok: successes.includes(context.outcome),
    outcome: context.outcome,
    code: context.code,
    bytes: context.bytes,
    detail: context.detail,
    ...extra,
  });
}

/** The code of a socket error, from its errno: the two a user can act on have codes of their own. */
export function socketErrorCode(
  errno: string,
): Extract<EngineCode, 'socket.error' | 'peer.unreachable' | 'datagram.too_large'> {
  if (errno === 'ECONNREFUSED') return 'peer.unreachable';
  return errno === 'EMSGSIZE' ? 'datagram.too_large' : 'socket.error';
}

/** The root transition of every connection machine: a broken socket ends it in `failed`, `interrupted`. */
export const interruptedOnSocketError = {
  'socket.error': {
    target: '.failed',
    actions: {
      type: 'finish' as const,
      params: ({ event }: { event: { code: string } }) => ({
        outcome: 'interrupted' as const,
        code: socketErrorCode(event.code),
        detail: event.code,
      }),
    },
  },
};
