/** How a queue session ended: the words logs, exit codes and tests share. */
import { outcomeFrom, type Finish as EngineFinish } from '../../src/engine/outcome';

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

export type Finish = EngineFinish<QueueOutcome>;

/** The machines' output: ok for the outcomes a user counts as success. */
export const toSessionOutcome = outcomeFrom<QueueOutcome>(['stored', 'delivered', 'sent', 'received', 'served']);
