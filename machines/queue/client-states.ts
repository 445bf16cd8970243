/** What the TCP and UDP queue clients share: choosing the mode, sending the message. */
import { extended } from '../../src/engine/extended';

/** What a person asks of either client. */
export interface QueueClientInput {
  mode: 'send' | 'receive';
  /** Largest reply accepted, in bytes. */
  maxMessage: number;
  /** How long to wait for the server (the receive timeout). */
  idleTimeoutMs?: number;
  /** TCP send: wait this long for the server's offer to confirm storing (store-confirmation.ts); plain when absent. */
  offerWaitMs?: number;
}

/** The context both clients start from: `message` is what `send` sends, or empty until a reply arrives. */
export const clientContext =
  (message: Buffer) =>
  ({ input }: { input: QueueClientInput }) =>
    extended(input, { message: input.mode === 'send' ? message : Buffer.alloc(0), outcome: 'open', bytes: 0 });

const sendMessage = [
  { type: 'write' as const, params: ({ context }: { context: { message: Buffer } }) => ({ bytes: context.message }) },
  'flush' as const,
];

/** Sends the message on the way into `send_message`, not on its entry, so that state can be re-entered while the message drains. */
export const startByMode = {
  always: [{ guard: 'sending' as const, target: 'send_message', actions: sendMessage }, { target: 'request_message' }],
};
