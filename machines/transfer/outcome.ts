/**
 * How a transfer ended, shared by both machines so logs, exit codes and tests
 * read the same words.
 */
import { outcomeFrom, type Finish as EngineFinish } from '../../src/engine/outcome';

export type TransferOutcome =
  | 'open'
  | 'downloaded'
  | 'uploaded'
  | 'refused'
  | 'cancelled'
  | 'no_room'
  | 'server_error'
  | 'not_stored'
  | 'local_error'
  | 'interrupted'
  | 'timed_out'
  | 'protocol_error';

/** Params of the `finish` action: the outcome and an optional detail (a code or reason). */
export type Finish = EngineFinish<TransferOutcome>;

/** The machine's output, in the engine's protocol-neutral shape. */
export const toSessionOutcome = outcomeFrom<TransferOutcome>(['downloaded', 'uploaded']);
