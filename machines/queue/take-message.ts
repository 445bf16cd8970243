/**
 * Take -> send, the one way both queue servers (TCP and UDP) hand a receiver
 * its message: entering `dequeue` takes the oldest message into the context
 * (so `confirm` and `restore` find it); within the same step it is written and
 * flushed, and the machine waits in `send_message`; an empty queue, or a store
 * that failed to read the message, goes where the caller says.
 */
import { required } from '../../src/engine/required';
import type { TakenMessage } from './message-store';

interface Taker {
  context: { taken?: TakenMessage };
}

/** The `dequeue` state: `askTake`, then `send_message` with the message written, `whenFailed` or `whenEmpty`. */
export const takeThenSend = <const WhenFailed, const WhenEmpty>(whenFailed: WhenFailed, whenEmpty: WhenEmpty) => ({
  entry: 'askTake' as const,
  always: [
    { guard: 'answerFailed' as const, ...whenFailed },
    {
      guard: ({ context }: Taker) => context.taken !== undefined,
      target: 'send_message' as const,
      actions: [
        {
          type: 'writeIfConnected' as const,
          params: ({ context }: Taker) => ({ bytes: required(context.taken, 'taken message').bytes }),
        },
        'flush' as const,
      ],
    },
    whenEmpty,
  ],
});
