/** How a queue session ended: the words logs, exit codes and tests share. */
import { outcomeFrom, type EngineCode, type PeerCode, type SocketCode } from '../../src/engine/outcome';

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

/** Why a queue session ended: the closed set of codes its machines finish with. */
export type QueueCode =
  | SocketCode
  | Extract<EngineCode, 'ok' | 'peer.idle'>
  /** `peer.refused`: the server reset a send before keeping the message; `peer.ended_early`: it offered to confirm storing and did not; `reply.too_large`: a reply over `--max-size`. */
  | Extract<PeerCode, 'peer.refused' | 'peer.ended_early' | 'protocol.violation' | 'reply.too_large'>
  /** A GET found no message waiting. */
  | 'queue.empty'
  /** The queue holds as many messages or bytes as it may (`--max-messages`, `--max-queue-bytes`). */
  | 'queue.full'
  /** A message over the server's `--max-size`. */
  | 'message.too_large'
  /** The client ended its side without sending a byte. */
  | 'request.empty'
  /** The store failed to keep or hand out a message (detail: its errno). */
  | 'storage.failed'
  /** A UDP peer's session in which one or more messages were refused (over the size cap, or the queue full). */
  | 'message.refused';

/** The machines' output: ok for the outcomes a user counts as success. */
export const toSessionOutcome = outcomeFrom<QueueOutcome>(['stored', 'delivered', 'sent', 'received', 'served']);

/**
 * A reply over the client's `--max-size`: the server handed the message out as the reply began (the protocol
 * carries no size to ask by first), so it is out of the queue and, kept by no one, lost.
 */
export const overMaxSize = (maxMessage: number) => ({
  outcome: 'refused' as const,
  code: 'reply.too_large' as const,
  detail: `message over ${maxMessage} bytes (--max-size): taken from the queue, kept by no one, lost`,
});
