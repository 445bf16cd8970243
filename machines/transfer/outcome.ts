/**
 * How a transfer ended, shared by both machines so logs, exit codes and tests
 * read the same words, and replay rebuilds its world from the same codes.
 */
import type { NameErrorCode } from '../../src/engine/errors';
import { outcomeFrom, type EngineCode, type OutcomeFields } from '../../src/engine/outcome';

export type TransferOutcome =
  | 'open'
  | 'downloaded'
  | 'uploaded'
  | 'refused'
  | 'cancelled'
  | 'no_room'
  | 'server_error'
  | 'not_stored'
  /** The file's bytes did not match the SHA-256 its sender gave (code `file.digest_mismatch`): nothing was kept. */
  | 'corrupted'
  | 'local_error'
  | 'interrupted'
  | 'timed_out'
  | 'protocol_error';

/** Why a transfer ended: the closed set of codes its machines finish with. */
export type TransferCode =
  | EngineCode
  /** The request's name is not a name the server accepts (the name rule it broke). */
  | NameErrorCode
  /** The server has no file of that name. */
  | 'file.missing'
  /** The name exists already (uploads never replace a file). */
  | 'file.exists'
  /** Another connection holds the name. */
  | 'file.busy'
  /** The server's storage refused the name (detail: its errno, say EACCES). */
  | 'file.refused'
  /** The server's storage failed while answering (detail: its errno). */
  | 'storage.failed'
  /** The upload is larger than the server's `--max-size`. */
  | 'upload.too_large'
  /** Not enough free space for the file (on the server, or locally for a download). */
  | 'storage.no_room'
  /** The server answered `N` (the client cannot tell missing, busy or no room apart). */
  | 'peer.refused'
  /** The server answered `E`. */
  | 'peer.error'
  /** The client declined the download. */
  | 'peer.declined'
  /** The peer closed or reset its side before the transfer was done (detail: the errno, if any). */
  | 'peer.ended_early'
  /** Bytes or a reply the protocol does not allow at that point. */
  | 'protocol.violation';

/** Params of the `finish` action: the outcome, its code, and a detail for people. */
export type Finish = { outcome: TransferOutcome; code: TransferCode; detail?: string };

/** What the machines' contexts keep of how the transfer ends. */
export type TransferOutcomeFields = OutcomeFields<TransferOutcome, TransferCode>;

/** The machine's output, in the engine's protocol-neutral shape. */
export const toSessionOutcome = outcomeFrom<TransferOutcome>(['downloaded', 'uploaded']);
