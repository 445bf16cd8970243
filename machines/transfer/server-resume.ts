/**
 * The transfer server's resumed upload (docs/protocol-extensions.md, resume): after a hello that agreed
 * `resume`, a `p` request whose name is free comes here. The server looks up what an interrupted attempt
 * with the same id kept, checks the size limit and the room for the rest, answers UPLOAD_RESUME_REPLY with
 * where the DATA starts, and waits for the client's UPLOAD_FROM to say the same before the bytes.
 */
import { peerIdleFails } from '../../src/engine/bulk-states';
import { READING_TAG } from '../../src/engine/protocol';
import type { StateTarget } from '../../src/engine/state-targets';
import { STATUS } from './frames';
import { encodeUploadResumeReply, type UploadOpen } from './resume-frames';
import { protocolViolation, replyStatus, storageFailed } from './server-replies';
import { refuseTooLarge, roomCheckState } from './server-upload-limits';

/** What these states read of the server's context. */
interface ResumeContext {
  ref?: string;
  /** The file's size, from the `p` request's UPLOAD_OPEN. */
  size: number;
  uploadOpen?: UploadOpen;
  /** Where the DATA starts: the bytes kept. */
  start: number;
}

interface ResumeTargets {
  /** The upload's bytes, from `start` on. */
  uploadingTarget: StateTarget;
  completeTarget: StateTarget;
  failedTarget: StateTarget;
}

/** The states from `check_kept_upload`, where a `p` upload enters, to the upload's bytes. */
export function serverResumeStates({ uploadingTarget, completeTarget, failedTarget }: ResumeTargets) {
  return {
    /** A `p` upload: how much of it an interrupted attempt left, then whether the rest fits. */
    check_kept_upload: {
      always: refuseTooLarge(({ context }: { context: ResumeContext }) => context.size, completeTarget),
      invoke: {
        src: 'keptUpload' as const,
        input: ({ context }: { context: ResumeContext }) => ({
          ref: context.ref ?? '',
          id: context.uploadOpen?.id ?? '',
        }),
        onDone: {
          target: 'check_resume_room',
          // More than the file's size is not this file's: start afresh.
          actions: {
            type: 'takeFile' as const,
            params: ({ context, event }: { context: ResumeContext; event: { output: number } }) => ({
              start: event.output <= context.size ? event.output : 0,
            }),
          },
        },
        onError: { target: completeTarget, actions: [replyStatus(STATUS.error), storageFailed] },
      },
    },
    check_resume_room: roomCheckState({
      size: (context: ResumeContext) => context.size - context.start,
      reply: {
        type: 'write',
        params: ({ context }: { context: ResumeContext }) => ({ bytes: encodeUploadResumeReply(context.start) }),
      },
      roomTarget: 'send_upload_resume_reply',
      completeTarget,
    }),
    send_upload_resume_reply: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'wait_upload_from' } },
    /** The client says where its DATA starts: it must be where the server said. */
    wait_upload_from: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        'frame.upload_from': [
          {
            guard: ({ context, event }: { context: ResumeContext; event: { start: number } }) =>
              event.start === context.start,
            target: uploadingTarget,
          },
          { target: failedTarget, actions: protocolViolation('UPLOAD_FROM is not the start the server said') },
        ],
      },
    },
  };
}
