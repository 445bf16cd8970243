/**
 * The transfer client's upload (seed 002, and its extension `u` and resume `p` requests): the request,
 * the server's yes, the file's size and the server's yes to it, the file's bytes, then the server's close
 * or, when `stored` was agreed, its STORED_REPLY.
 */
import { peerIdleFails, rearmedByProgress, sendFromSource } from '../../src/engine/bulk-states';
import { READING_TAG } from '../../src/engine/protocol';
import type { StateTarget } from '../../src/engine/state-targets';
import { errnoWords } from '../../src/log/errno-words';
import { checksDigest, EXT_OP, STORED } from './extension-frames';
import { OP, STATUS, encodeUploadSize } from './frames';
import { LATE_HELLO_REPLY, answeredE, badReply, finish } from './client-replies';
import { clientResumeStates } from './client-resume';
import { statusIs } from './status-guard';

const MISMATCH = 'the server received other bytes than were sent (SHA-256 mismatch) and kept nothing';
/** A resumed upload's file is the part the server kept and the rest sent now: either may be what changed. */
const RESUMED_MISMATCH =
  'the part the server kept and the bytes sent now do not make the file (SHA-256 mismatch): the local file ' +
  'changed since the interrupted upload (its size and time kept), or bytes were damaged on the way; the server ' +
  'kept nothing, so the same command starts over';

/** What these states read of the client's context. */
interface UploadContext {
  serverName: string;
  /** The local file's size. */
  size: number;
  /** The extensions both sides have, once the server answered the hello. */
  agreed?: number;
  /** Where the DATA starts, as a server that kept part of the upload said. */
  start?: number;
}

interface UploadTargets {
  /** The `uploading` state, by id: the resume states (client-resume.ts) lead there too. */
  uploadingTarget: StateTarget;
  /** `wait_upload_stored`, by id: the source's states, nested in `uploading`, lead there. */
  storedWaitTarget: StateTarget;
  failedTarget: StateTarget;
}

/** A status byte's event with its status (the reply's `frame.*` events). */
interface Reply {
  event: { status: number };
}

/** The states from `init_upload`, where an upload starts, to `upload_complete` (with the resume's, client-resume.ts). */
export function clientUploadStates({ uploadingTarget, storedWaitTarget, failedTarget }: UploadTargets) {
  const unexpected = {
    target: failedTarget,
    actions: { type: 'finish' as const, params: ({ event }: Reply) => badReply(event.status).params },
  };
  return {
    init_upload: {
      entry: [{ type: 'sendRequest' as const, params: { op: OP.upload, extOp: EXT_OP.upload } }, 'flush' as const],
      always: 'send_check_file_upload',
    },
    send_check_file_upload: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'check_upload' } },
    check_upload: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        ...LATE_HELLO_REPLY,
        'frame.upload_reply': [
          {
            guard: ({ event }: { event: { start?: number } }) => event.start !== undefined,
            target: 'prepare_upload_from',
            actions: {
              type: 'takeReply' as const,
              params: ({ event }: { event: { start?: number } }) => ({ start: event.start }),
            },
          },
          { guard: statusIs(STATUS.yes), target: 'prepare_upload_file_size' },
          {
            guard: statusIs(STATUS.no),
            target: 'upload_complete',
            actions: finish(
              'refused',
              'peer.refused',
              'the name exists on the server or is busy, or the server has no room for the file (or it is over the size limit)',
            ),
          },
          {
            guard: statusIs(STATUS.error),
            target: 'upload_complete',
            actions: finish('server_error', 'peer.error', answeredE('take')),
          },
          unexpected,
        ],
      },
    },
    prepare_upload_file_size: {
      entry: [
        {
          type: 'write' as const,
          params: ({ context }: { context: UploadContext }) => ({ bytes: encodeUploadSize(context.size) }),
        },
        'flush' as const,
      ],
      always: 'send_upload_file_size',
    },
    send_upload_file_size: {
      on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'process_upload_file_size_response' },
    },
    process_upload_file_size_response: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        'frame.upload_size_reply': [
          { guard: statusIs(STATUS.yes), target: uploadingTarget },
          {
            guard: statusIs(STATUS.no),
            target: 'upload_complete',
            actions: finish(
              'refused',
              'peer.refused',
              'the server has no room for the file, or it is over its size limit',
            ),
          },
          unexpected,
        ],
      },
    },
    ...clientResumeStates(uploadingTarget, failedTarget),
    uploading: sendFromSource({
      ref: (context: UploadContext) => context.serverName,
      start: (context: UploadContext) => context.start ?? 0,
      sentTarget: storedWaitTarget,
      digest: (context: UploadContext) => checksDigest(context.agreed !== undefined, context.agreed),
      failure: 'local_error' as const,
      failedTarget,
    }),
    /**
     * The plain protocol has no acknowledgement: the server's clean close says the file is stored. An
     * extension upload that agreed `stored` waits for STORED_REPLY instead, and a close without it (a
     * server killed between the last byte and the store, whose kernel closes cleanly) is no success.
     */
    wait_upload_stored: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        ...rearmedByProgress('wait_upload_stored'),
        'frame.stored_reply': [
          {
            guard: ({ event }: Reply) => event.status === STORED.yes,
            target: 'upload_complete',
            actions: finish('uploaded', 'ok'),
          },
          {
            guard: ({ event }: Reply) => event.status === STORED.digestMismatch,
            target: 'upload_complete',
            actions: {
              type: 'finish' as const,
              params: ({ context }: { context: UploadContext }) => ({
                outcome: 'corrupted' as const,
                code: 'file.digest_mismatch' as const,
                detail: (context.start ?? 0) > 0 ? RESUMED_MISMATCH : MISMATCH,
              }),
            },
          },
          unexpected,
        ],
        'socket.end': [
          {
            guard: 'awaitsConfirmation' as const,
            target: failedTarget,
            actions: finish('not_stored', 'peer.ended_early', 'the server closed without confirming it was stored'),
          },
          { target: 'upload_complete', actions: finish('uploaded', 'ok') },
        ],
        'socket.error': {
          target: failedTarget,
          actions: {
            type: 'finish' as const,
            params: ({ event }: { event: { code: string } }) => ({
              outcome: 'not_stored' as const,
              code: 'peer.ended_early' as const,
              detail: errnoWords(event.code),
            }),
          },
        },
      },
    },
    upload_complete: { type: 'final' as const, entry: 'end' as const },
  };
}
