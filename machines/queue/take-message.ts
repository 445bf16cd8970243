/**
 * Take -> send, the one way both queue servers (TCP and UDP) hand a receiver
 * its message: the store's `take` answers; a message is kept in the context
 * (so `confirm` and `restore` find it), written and flushed, and the machine
 * waits in `send_message`; an empty queue goes where the caller says.
 */
import { assign, type EventObject, type MachineContext } from 'xstate';
import { required } from '../../src/engine/required';
import type { TakenMessage } from './message-store';

interface TakeAnswer {
  event: { output: TakenMessage | undefined };
}

interface TakerContext extends MachineContext {
  taken?: TakenMessage;
}

/** The action `takeThenSend` names, declared in each server's setup() for its own types. */
export function takeActions<TContext extends TakerContext, TEvent extends EventObject>() {
  return {
    keepTaken: assign<TContext, TEvent, { taken: TakenMessage | undefined }, TEvent, never>((_, params) => {
      const kept: Partial<TContext> = {};
      kept.taken = params.taken;
      return kept;
    }),
  };
}

/** The `dequeue` state's invoke: `take`, then `send_message` with the message written, or `whenEmpty`. */
export const takeThenSend = <WhenEmpty>(whenEmpty: WhenEmpty) => ({
  src: 'take' as const,
  onDone: [
    {
      guard: ({ event }: TakeAnswer) => event.output !== undefined,
      target: 'send_message' as const,
      actions: [
        { type: 'keepTaken' as const, params: ({ event }: TakeAnswer) => ({ taken: event.output }) },
        {
          type: 'writeIfConnected' as const,
          params: ({ event }: TakeAnswer) => ({ bytes: required(event.output, 'taken message').bytes }),
        },
        'flush' as const,
      ],
    },
    whenEmpty,
  ],
});

/** The `confirm_delivery` state's invoke input: the taken message's id. */
export const takenId = ({ context }: { context: { taken?: TakenMessage } }) =>
  required(context.taken, 'taken message').id;
