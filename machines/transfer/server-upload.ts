/**
 * The transfer server's upload (seed 002, and its extension `t` and resumed `p` requests): the name's
 * reservation, the yes, the client's UPLOAD_SIZE against the size limit and the room, the file's bytes,
 * then, to a client that asked for it, the STORED_REPLY once the file is durable.
 */
import { receiveIntoSink, peerIdleFails } from '../../src/engine/bulk-states';
import { READING_TAG } from '../../src/engine/protocol';
import type { StateTarget } from '../../src/engine/state-targets';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import { STORED, checksDigest, confirmsStored, encodeYes } from './extension-frames';
import type { UploadOpen } from './resume-frames';
import { lookupOf, lookupRef, lookupRefusals, type Answered } from './server-lookup-refusals';
import { replyStatus } from './server-replies';
import { serverResumeStates } from './server-resume';
import { refuseTooLarge, roomCheckState } from './server-upload-limits';

/** What these states read of the server's context. */
interface UploadContext {
  owner: string;
  name?: string;
  ref?: string;
  size: number;
  agreed?: number;
  extended: boolean;
  /** A `p` request: the file's size and the upload's id. */
  uploadOpen?: UploadOpen;
  /** Where the DATA starts: 0, or to `p`, after what was kept. */
  start: number;
  lookup?: Answered<DownloadLookup | UploadLookup>;
}

/** The branches' view of the reservation, answered on entering `check_upload`. */
interface Reserved {
  context: UploadContext;
}
const reservedRef = (args: Reserved) => lookupRef(lookupOf(args));

/** The states these target by id: the upload's own, and the machine's end. */
interface UploadTargets {
  uploadingTarget: StateTarget;
  confirmStoredTarget: StateTarget;
  digestMismatchTarget: StateTarget;
  completeTarget: StateTarget;
  failedTarget: StateTarget;
}

/** The "yes" reply of a request's own grammar: `t` to an extension request, `T` to a plain one. */
const replyYes = {
  type: 'write' as const,
  params: ({ context }: { context: UploadContext }) => ({ bytes: encodeYes(context.extended) }),
};

/** The states from `check_upload`, where an upload request enters, to `upload_complete`. */
export function serverUploadStates(targets: UploadTargets) {
  const { uploadingTarget, confirmStoredTarget, digestMismatchTarget, completeTarget, failedTarget } = targets;
  const refusals = lookupRefusals(replyStatus, ['exists', 'busy', 'read_only'], completeTarget);
  return {
    // The store answers at once (file-store.ts): the name is claimed within the request's step.
    check_upload: {
      entry: 'reserveUpload' as const,
      always: [
        refusals.nameRejected,
        {
          guard: 'freeToResume' as const,
          target: 'check_kept_upload',
          actions: [
            {
              type: 'takeFile' as const,
              params: (args: Reserved) => ({ ref: reservedRef(args), size: args.context.uploadOpen?.size ?? 0 }),
            },
          ],
        },
        {
          guard: 'free' as const,
          target: 'send_check_upload',
          actions: [
            { type: 'takeFile' as const, params: (args: Reserved) => ({ ref: reservedRef(args) }) },
            replyYes,
            'flush' as const,
          ],
        },
        ...refusals.refusals,
      ],
    },
    send_check_upload: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'check_file_upload_size' } },
    check_file_upload_size: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        'frame.upload_size': [
          refuseTooLarge(({ event }: { event: { size: number } }) => event.size, completeTarget),
          {
            target: 'check_upload_space',
            actions: {
              type: 'setSize' as const,
              params: ({ event }: { event: { size: number } }) => ({ size: event.size }),
            },
          },
        ],
      },
    },
    check_upload_space: roomCheckState({
      size: (context: UploadContext) => context.size,
      reply: replyYes,
      roomTarget: 'send_file_upload_size_response',
      completeTarget,
    }),
    send_file_upload_size_response: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'uploading' } },
    ...serverResumeStates({ uploadingTarget, completeTarget, failedTarget }),
    uploading: receiveIntoSink({
      ref: (context: UploadContext) => context.ref ?? '',
      resume: (context: UploadContext) =>
        context.uploadOpen ? { start: context.start, tag: context.uploadOpen.id } : undefined,
      storedTarget: completeTarget,
      confirmed: {
        target: confirmStoredTarget,
        when: (context: UploadContext) => confirmsStored(context.extended, context.agreed),
      },
      outcome: 'uploaded' as const,
      failure: 'not_stored' as const,
      failedTarget,
      digest: (context: UploadContext) => checksDigest(context.extended, context.agreed),
      mismatch: { outcome: 'corrupted' as const, target: digestMismatchTarget },
    }),
    /** The bytes did not hash to the client's DIGEST: nothing was kept; the client hears `C` if it waits for a STORED_REPLY. */
    digest_mismatch: {
      always: [
        {
          guard: 'confirmsStored' as const,
          target: 'upload_complete',
          actions: { type: 'write' as const, params: { bytes: Buffer.of(STORED.digestMismatch) } },
        },
        { target: failedTarget },
      ],
    },
    /** The file is durable (the storage's commit has returned): the client hears so before the close. */
    confirm_stored: {
      entry: { type: 'write' as const, params: { bytes: Buffer.of(STORED.yes) } },
      always: 'upload_complete',
    },
    upload_complete: { type: 'final' as const, entry: 'end' as const },
  };
}
