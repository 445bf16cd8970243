/**
 * What an upload must fit before the server takes its bytes, the same for a seed upload (its UPLOAD_SIZE)
 * and a resumed one (`p`, the rest after what was kept): the server's size limit, then the storage's room.
 * Either refusal is an `N` and the end of the upload.
 */
import type { StateTarget } from '../../src/engine/state-targets';
import { STATUS } from './frames';
import { finishWith, replyStatus, storageFailed } from './server-replies';

/** The transition that refuses an upload of `sizeOf` bytes over the server's limit (the `tooLarge` guard). */
export const refuseTooLarge = <A>(sizeOf: (args: A) => number, completeTarget: StateTarget) => ({
  guard: { type: 'tooLarge' as const, params: (args: A) => ({ size: sizeOf(args) }) },
  target: completeTarget,
  actions: [
    replyStatus(STATUS.no),
    finishWith('refused', 'upload.too_large', (args: A) => `size ${sizeOf(args)} over the limit`),
  ],
});

export interface RoomCheck<Context> {
  /** The bytes the upload still needs room for. */
  size: (context: Context) => number;
  /** The write that says yes to the client. */
  reply: { type: 'write'; params: ({ context }: { context: Context }) => { bytes: Buffer } };
  /** Where to go once the yes is on its way. */
  roomTarget: string;
  completeTarget: StateTarget;
}

/**
 * A state that asks the storage (`checkRoom`) for room for `size` bytes: with room it writes `reply`, flushes
 * and goes to `roomTarget`; without room, or when the storage fails, the client hears `N` and the upload ends.
 */
export function roomCheckState<Context extends { ref?: string }>(check: RoomCheck<Context>) {
  return {
    invoke: {
      src: 'checkRoom' as const,
      input: ({ context }: { context: Context }) => ({ ref: context.ref ?? '', size: check.size(context) }),
      onDone: [
        {
          guard: ({ event }: { event: { output: boolean } }) => event.output,
          target: check.roomTarget,
          actions: [check.reply, 'flush' as const],
        },
        {
          target: check.completeTarget,
          actions: [replyStatus(STATUS.no), finishWith('refused', 'storage.no_room', () => 'no room')],
        },
      ],
      onError: { target: check.completeTarget, actions: [replyStatus(STATUS.no), storageFailed] },
    },
  };
}
