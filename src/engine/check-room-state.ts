/**
 * A client's check that the local disk has room for the size the server announced, before it accepts
 * a byte: on to `target` when there is, to its sibling `failed` (outcome `local_error`) when there is
 * not. The machine provides the `checkRoom` actor (size in, boolean out) and the `finish` action.
 */
import { errorCode } from '../storage/errors';

interface Sized {
  size: number;
}

export function checkRoomState<C extends Sized>(
  target: string,
  what: (context: C) => string = (context) => `${context.size} bytes`,
) {
  return {
    invoke: {
      src: 'checkRoom' as const,
      input: ({ context }: { context: C }) => ({ size: context.size }),
      onDone: [
        { guard: ({ event }: { event: { output: boolean } }) => event.output, target },
        {
          target: 'failed',
          actions: {
            type: 'finish' as const,
            params: ({ context }: { context: C }) => ({
              outcome: 'local_error' as const,
              code: 'storage.no_room' as const,
              detail: `not enough free space for ${what(context)}`,
            }),
          },
        },
      ],
      onError: {
        target: 'failed',
        actions: {
          type: 'finish' as const,
          params: ({ event }: { event: { error: unknown } }) => ({
            outcome: 'local_error' as const,
            code: 'file.unwritable' as const,
            detail: errorCode(event.error),
          }),
        },
      },
    },
  };
}
