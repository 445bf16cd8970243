/**
 * The transfer client's resume (docs/protocol-extensions.md, resume): once the hello agreed `resume`, a
 * client that can continue asks with `r` (a download, with what it keeps) or `p` (an upload, with its id);
 * a server that kept part of the upload answers where the DATA starts, which the client says back in
 * UPLOAD_FROM before it sends the rest.
 */
import { peerIdleFails } from '../../src/engine/bulk-states';
import type { StateTarget } from '../../src/engine/state-targets';
import { OP, encodeRequest } from './frames';
import { RESUME_OP, encodeResumeFrom, encodeUploadFrom, encodeUploadOpen, type ResumeFrom } from './resume-frames';

/** What the resume request and states read of the client's context. */
interface ResumeContext {
  serverName: string;
  /** The upload's size. */
  size: number;
  resume?: ResumeFrom;
  uploadId?: string;
  /** Where the DATA starts, as the server said. */
  start?: number;
}

/** The REQUEST of a client that resumes: the resume op with its frame right behind it. */
export function resumeRequest(context: ResumeContext, op: number): Buffer {
  if (op === OP.download && context.resume)
    return Buffer.concat([encodeRequest(RESUME_OP.download, context.serverName), encodeResumeFrom(context.resume)]);
  return Buffer.concat([
    encodeRequest(RESUME_OP.upload, context.serverName),
    encodeUploadOpen({ size: context.size, id: context.uploadId ?? '' }),
  ]);
}

/** From `prepare_upload_from`, where an upload the server kept `start` bytes of enters, to its bytes. */
export function clientResumeStates(uploadingTarget: StateTarget, failedTarget: StateTarget) {
  return {
    /** The server kept `start` bytes of an earlier attempt: the client says it heard, then sends the rest. */
    prepare_upload_from: {
      entry: [
        {
          type: 'write' as const,
          params: ({ context }: { context: ResumeContext }) => ({ bytes: encodeUploadFrom(context.start ?? 0) }),
        },
        'flush' as const,
      ],
      always: 'send_upload_from',
    },
    send_upload_from: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': uploadingTarget } },
  };
}
