/** How a queue session ended: the words logs, exit codes and tests share. */
import { outcomeFrom, type EngineCode, type Finish as EngineFinish } from '../../src/engine/outcome';

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

/** Why a queue session ended, so far only where a user acts on it: the socket's errors (nothing listens, a datagram too large). */
export type QueueCode = Extract<EngineCode, 'socket.error' | 'peer.unreachable' | 'datagram.too_large'>;

export type Finish = EngineFinish<QueueOutcome, QueueCode>;

/** The machines' output: ok for the outcomes a user counts as success. */
export const toSessionOutcome = outcomeFrom<QueueOutcome>(['stored', 'delivered', 'sent', 'received', 'served']);
