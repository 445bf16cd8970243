/**
 * How a transfer ended, shared by both machines so logs, exit codes and tests
 * read the same words, and replay rebuilds its world from the same codes.
 */
import type { NameErrorCode } from '../../src/storage/errors';
import type { StorageCode } from '../../src/storage/lookup-refusal';
import { outcomeFrom, type EngineCode, type PeerCode, type OutcomeFields } from '../../src/engine/outcome';

export type TransferOutcome =
  | 'open'
  | 'downloaded'
  | 'uploaded'
  /** The served folder's files were sent (server) or received whole (client). */
  | 'listed'
  /** The server did not agree `list`, or spoke only the plain protocol (code `peer.cannot_list`). */
  | 'cannot_list'
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
  /** What the peer did; `peer.refused` is the server's `N` (the client cannot tell missing, busy or no room apart). */
  | PeerCode
  /** The request's name is not a name the server accepts (the name rule it broke). */
  | NameErrorCode
  /** What the server's storage answered a lookup (lookup-refusal.ts). */
  | StorageCode
  /** The upload is larger than the server's `--max-size`. */
  | 'upload.too_large'
  /** The client declined the download. */
  | 'peer.declined'
  /** The server cannot list: it did not agree `list` in its hello reply, or sent none in time. */
  | 'peer.cannot_list';

/** Params of the `finish` action: the outcome, its code, and a detail for people. */
export interface Finish {
  outcome: TransferOutcome;
  code: TransferCode;
  detail?: string;
}

/** What the machines' contexts keep of how the transfer ends. */
export type TransferOutcomeFields = OutcomeFields<TransferOutcome, TransferCode>;

/** The machine's output, in the engine's protocol-neutral shape. */
export const toSessionOutcome = outcomeFrom<TransferOutcome>(['downloaded', 'uploaded', 'listed']);
