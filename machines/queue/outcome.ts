/** How a queue session ended: the words logs, exit codes and tests share. */
export type QueueOutcome =
  | 'open'
  | 'stored'
  | 'delivered'
  | 'sent'
  | 'received'
  | 'queue_empty'
  | 'served'
  | 'no_message'
  | 'refused'
  | 'not_stored'
  | 'server_error'
  | 'interrupted'
  | 'timed_out'
  | 'protocol_error';

const SUCCESS: ReadonlySet<QueueOutcome> = new Set(['stored', 'delivered', 'sent', 'received', 'served']);

export interface QueueOutcomeFields {
  outcome: QueueOutcome;
  detail?: string;
  bytes: number;
}

export type Finish = { outcome: QueueOutcome; detail?: string };

export function toSessionOutcome(context: QueueOutcomeFields) {
  return { ok: SUCCESS.has(context.outcome), outcome: context.outcome, bytes: context.bytes, detail: context.detail };
}

