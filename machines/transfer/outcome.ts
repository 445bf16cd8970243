/**
 * How a transfer ended, shared by both machines so logs, exit codes and tests
 * read the same words.
 */
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

export interface OutcomeFields {
  outcome: TransferOutcome;
  detail?: string;
  bytes: number;
}

/** Params of the `finish` action: the outcome and an optional detail (a code or reason). */
export type Finish = { outcome: TransferOutcome; detail?: string };

export const SUCCESS: ReadonlySet<TransferOutcome> = new Set(['downloaded', 'uploaded']);

/** The machine's output, in the engine's protocol-neutral shape. */
export function toSessionOutcome(context: OutcomeFields) {
  return { ok: SUCCESS.has(context.outcome), outcome: context.outcome, bytes: context.bytes, detail: context.detail };
}

