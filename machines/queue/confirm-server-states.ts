/**
 * The queue TCP server's side of the stored confirmation (store-confirmation.ts):
 * `offered` reads the request of a connection it made the offer to, and
 * `confirm_stored` answers a message that asked for it once the message is kept.
 * A request without the SEND token is read as the seed's, GET or message.
 */
import { idleDelay, PEER_IDLE_EVENT } from '../../src/engine/idle';
import { READING_TAG } from '../../src/engine/protocol';
import { appendBytes, joinedBytes, noBytes, type ReceivedBytes } from '../../src/engine/received-bytes';
import { isGet, mayStillBeGet } from './codec';
import { mayStillBe, OFFER_TOKEN, SEND_TOKEN, startsWith, STORED_TOKEN } from './store-confirmation';

interface ConfirmContext {
  received: ReceivedBytes;
  offerAfterMs?: number;
  idleTimeoutMs?: number;
  /** The client asked for the confirmation: it gets STORED_TOKEN once its message is kept. */
  confirm?: boolean;
}

/** The request's first bytes: as many as it takes to tell the SEND token, a GET and a message apart. */
function head(received: ReceivedBytes): Buffer {
  const chunks: Buffer[] = [];
  let length = 0;
  for (const chunk of received.chunks) {
    if (length >= SEND_TOKEN.length) break;
    chunks.push(chunk.subarray(0, SEND_TOKEN.length - length));
    length += chunks[chunks.length - 1].length;
  }
  return Buffer.concat(chunks, length);
}

/** The server machine's guards and actions for it, as plain functions of its context. */
export const confirmServer = {
  /** Nothing came for OFFER_AFTER_MS: the peer may be a wirestate client waiting to be offered a confirmation. */
  offering: (context: ConfirmContext) => context.offerAfterMs !== undefined && context.received.length === 0,
  asksConfirmation: (context: ConfirmContext) => startsWith(SEND_TOKEN, head(context.received)),
  offeredGet: (context: ConfirmContext) => isGet(head(context.received)),
  /** Bytes that can no longer become the SEND token or a GET: a plain message from a client that was slow to speak. */
  offeredMessage: (context: ConfirmContext) => {
    const bytes = head(context.received);
    return bytes.length > 0 && !mayStillBe(SEND_TOKEN, bytes) && !mayStillBeGet(bytes);
  },
  /** The message is what follows the SEND token. */
  withoutSendToken: (context: ConfirmContext) => ({
    received: appendBytes(noBytes(), joinedBytes(context.received).subarray(SEND_TOKEN.length)),
    confirm: true,
  }),
};

/**
 * How long after the silence the offer is written: a timer set while the loop's timers run fires only after
 * the loop has read the sockets, so bytes that arrived while the server was busy are seen first.
 */
export const SETTLE_MS = 1;

/**
 * The delay before the offer, for the machine's `delays`. With no offer configured it is never taken: its
 * timer then runs as long as the idle one, which ends the state first, rather than firing at once on every
 * connection for nothing (a timer, an event and a step per connection).
 */
export const offerDelay = ({ context }: { context: ConfirmContext }) => context.offerAfterMs ?? idleDelay({ context });

const announceSend = {
  type: 'announce' as const,
  params: ({ context }: { context: ConfirmContext }) => ({
    operation: 'send',
    summary: `send of ${context.received.length} B`,
  }),
};

/** The states, given the machine's idle timeout transition. */
export function confirmServerStates<TimedOut>(timedOut: TimedOut) {
  return {
    offered: {
      tags: READING_TAG,
      after: {
        // Bytes that came while a busy server was not reading are read before this fires: only a still-silent
        // connection is offered (a client whose GET was merely late must not get the offer in its reply).
        settle: {
          guard: 'nothingReceived' as const,
          actions: { type: 'write' as const, params: { bytes: OFFER_TOKEN } },
        },
      },
      always: [
        { guard: 'asksConfirmation' as const, target: 'receiving_message', actions: 'dropSendToken' as const },
        {
          guard: 'offeredGet' as const,
          target: 'dequeue',
          actions: { type: 'announce' as const, params: { summary: 'receive', operation: 'receive' } },
        },
        { guard: 'offeredMessage' as const, target: 'receiving_message' },
      ],
      on: {
        [PEER_IDLE_EVENT]: timedOut,
        'frame.bytes': {
          actions: {
            type: 'append' as const,
            params: ({ event }: { event: { bytes: Buffer } }) => ({ bytes: event.bytes }),
          },
        },
        'socket.end': [
          {
            guard: 'nothingReceived' as const,
            target: 'request_complete',
            actions: {
              type: 'finish' as const,
              params: {
                outcome: 'no_message' as const,
                code: 'request.empty' as const,
                detail: 'the client sent nothing',
              },
            },
          },
          // A few bytes that were still a GET or the token: a message, as the seed reads it.
          { target: 'enqueue', actions: announceSend },
        ],
      },
    },
    confirm_stored: {
      type: 'final' as const,
      entry: [{ type: 'write' as const, params: { bytes: STORED_TOKEN } }, 'end' as const],
    },
  };
}
