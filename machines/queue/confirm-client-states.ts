/**
 * The queue TCP client's side of the stored confirmation (store-confirmation.ts):
 * before a send it waits up to OFFER_WAIT_MS for the server's offer; offered,
 * it sends the SEND token and the message and counts the message kept only on
 * STORED_TOKEN; not offered (an original server), it sends plainly, as the seed.
 */
import { READING_TAG } from '../../src/engine/protocol';
import { rearmedByProgress } from '../../src/engine/bulk-states';
import { PEER_IDLE_EVENT } from '../../src/engine/idle';
import { appendBytes, joinedBytes, noBytes, type ReceivedBytes } from '../../src/engine/received-bytes';
import { mayStillBe, OFFER_TOKEN, OFFER_WAIT_MS, SEND_TOKEN, startsWith, STORED_TOKEN } from './store-confirmation';

interface ConfirmContext {
  mode: 'send' | 'receive';
  offerWaitMs?: number;
  message: Buffer;
  reply: ReceivedBytes;
}

/** What the client says when it sent plainly because no offer came. */
export const CANNOT_CONFIRM =
  `no offer to confirm storing within ${OFFER_WAIT_MS / 1000} s: the server speaks only the plain queue ` +
  'protocol, so it cannot confirm the message was stored (--plain skips the wait)';

/** The client machine's guards for it, as plain functions of its context. */
export const confirmClient = {
  awaitsOffer: (context: ConfirmContext) => context.mode === 'send' && context.offerWaitMs !== undefined,
  /** The offer is whole; bytes after it (any cut of the stream may join them to it) are the stored reply's. */
  offerHeard: (context: ConfirmContext) => startsWith(OFFER_TOKEN, joinedBytes(context.reply)),
  /** The reply so far, without the offer. */
  afterOffer: (context: ConfirmContext) =>
    appendBytes(noBytes(), joinedBytes(context.reply).subarray(OFFER_TOKEN.length)),
  /** Bytes that are not (the start of) an offer: the server spoke out of turn. */
  notAnOffer: (context: ConfirmContext) => context.reply.length > 0 && !offerSoFar(joinedBytes(context.reply)),
  storedHeard: (context: ConfirmContext) => joinedBytes(context.reply).equals(STORED_TOKEN),
  /** After a plain send: the offer of a server that made it just as the wait ran out, which it then ignores. */
  lateOffer: (context: ConfirmContext, bytes: Buffer) => offerSoFar(Buffer.concat([...context.reply.chunks, bytes])),
};

function offerSoFar(bytes: Buffer): boolean {
  return bytes.equals(OFFER_TOKEN) || mayStillBe(OFFER_TOKEN, bytes);
}

/** How long to wait for the offer, for the machine's `delays`. */
export const offerWaitDelay = ({ context }: { context: { offerWaitMs?: number } }) => context.offerWaitMs ?? 0;

const appendEvent = {
  type: 'append' as const,
  params: ({ event }: { event: { bytes: Buffer } }) => ({ bytes: event.bytes }),
};

/** The states, given the machine's idle timeout transition and its "the server did not keep it" transition. */
export function confirmClientStates<TimedOut, NotKept, Failed extends string>(
  timedOut: TimedOut,
  notKept: NotKept,
  failed: Failed,
) {
  const notConfirmed = (detail: string) => ({
    target: failed,
    actions: {
      type: 'finish' as const,
      params: { outcome: 'not_stored' as const, code: 'peer.ended_early' as const, detail },
    },
  });
  return {
    wait_offer: {
      tags: READING_TAG,
      after: {
        offerWait: {
          target: 'send_message',
          actions: [
            {
              type: 'write' as const,
              params: ({ context }: { context: ConfirmContext }) => ({ bytes: context.message }),
            },
            'flush' as const,
            'noteFallback' as const,
          ],
        },
      },
      always: [
        {
          guard: 'offerHeard' as const,
          target: 'send_confirmed_message',
          actions: [
            'dropOffer' as const,
            { type: 'write' as const, params: { bytes: SEND_TOKEN } },
            {
              type: 'write' as const,
              params: ({ context }: { context: ConfirmContext }) => ({ bytes: context.message }),
            },
            'flush' as const,
          ],
        },
        {
          guard: 'notAnOffer' as const,
          target: failed,
          actions: {
            type: 'finish' as const,
            params: {
              outcome: 'protocol_error' as const,
              code: 'protocol.violation' as const,
              detail: 'the server spoke before the message with something other than an offer to confirm storing',
            },
          },
        },
      ],
      on: {
        'frame.bytes': { actions: appendEvent },
        'socket.end': notConfirmed('the server closed the connection before the message was sent'),
      },
    },
    send_confirmed_message: {
      on: {
        [PEER_IDLE_EVENT]: timedOut,
        ...rearmedByProgress('send_confirmed_message'),
        'wire.flushed': { target: 'wait_stored_reply', actions: 'end' as const },
        'socket.error': notKept,
      },
    },
    wait_stored_reply: {
      tags: READING_TAG,
      on: {
        [PEER_IDLE_EVENT]: timedOut,
        ...rearmedByProgress('wait_stored_reply'),
        // The message's last bytes may still be leaving the kernel (a slow link): that is progress, not idleness.
        'frame.bytes': { actions: appendEvent },
        'socket.end': [
          {
            guard: 'storedHeard' as const,
            target: 'message_sent',
            actions: [
              'countMessage' as const,
              {
                type: 'finish' as const,
                params: { outcome: 'sent' as const, code: 'ok' as const, detail: 'stored: the server confirmed it' },
              },
            ],
          },
          notConfirmed(
            'the server offered to confirm storing and closed without confirming: the message may not be stored',
          ),
        ],
        // A refusal (queue full, message over the cap) is a reset, as in the seed's grammar.
        'socket.error': notKept,
      },
    },
  };
}
