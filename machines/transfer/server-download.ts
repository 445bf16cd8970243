/**
 * The transfer server's download (seed 002, and its extension `t` and resume `r` requests): the name's
 * lookup, the reply with the size (and, to an extension request, the time; to `r`, where the DATA starts),
 * the client's confirmation, then the file's bytes.
 */
import { sendFromSource, peerIdleFails } from '../../src/engine/bulk-states';
import { READING_TAG } from '../../src/engine/protocol';
import type { StateTarget } from '../../src/engine/state-targets';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import { checksDigest, encodeExtDownloadReply } from './extension-frames';
import { STATUS, encodeDownloadReply, statusLetter, type Status } from './frames';
import { encodeResumeReply, resumeStart, type ResumeFrom } from './resume-frames';
import { lookupOf, lookupRef, lookupRefusals, type Answered } from './server-lookup-refusals';
import { finishWith } from './server-replies';
import { statusIs } from './status-guard';

/** What these states read of the server's context. */
interface DownloadContext {
  owner: string;
  name?: string;
  ref?: string;
  size: number;
  idleTimeoutMs?: number;
  agreed?: number;
  extended: boolean;
  /** An `r` request: what the client has of the file. */
  resumeFrom?: ResumeFrom;
  /** Where the DATA starts: 0, or to `r`, after what the client has. */
  start: number;
  lookup?: Answered<DownloadLookup | UploadLookup>;
}

/** The branches' view of the lookup, answered on entering `check_download`. */
interface LookedUp {
  context: DownloadContext;
}
const found = (args: LookedUp) => lookupOf(args) as DownloadLookup;

interface DownloadTargets {
  completeTarget: StateTarget;
  failedTarget: StateTarget;
}

const replyDownload = (status: Status) => ({
  type: 'write' as const,
  params: { bytes: encodeDownloadReply(status, 0) },
});
const foundSize = (lookup: DownloadLookup) => (lookup.kind === 'found' ? lookup.size : 0);
const foundTime = (lookup: DownloadLookup) => (lookup.kind === 'found' ? lookup.mtimeMs : 0);
/** The yes to a download: the seed's, DOWNLOAD_REPLY_X, or to `r` a RESUME_REPLY with where its DATA starts. */
const downloadReply = (context: DownloadContext, lookup: DownloadLookup) => {
  const [size, mtimeMs] = [foundSize(lookup), foundTime(lookup)];
  if (!context.extended) return encodeDownloadReply(STATUS.yes, size);
  if (!context.resumeFrom) return encodeExtDownloadReply(size, mtimeMs);
  return encodeResumeReply(size, mtimeMs, resumeStart(context.resumeFrom, size, mtimeMs));
};

/** The states from `check_download`, where a download request enters, to `download_complete`. */
export function serverDownloadStates({ completeTarget, failedTarget }: DownloadTargets) {
  const refusals = lookupRefusals(replyDownload, ['missing', 'busy'], completeTarget);
  return {
    // The store answers at once (file-store.ts): the name is looked up, and held, within the request's step.
    check_download: {
      entry: 'lookUpDownload' as const,
      always: [
        refusals.nameRejected,
        {
          guard: 'found' as const,
          target: 'send_check_download',
          actions: [
            {
              type: 'takeFile' as const,
              params: (args: LookedUp) => ({
                size: foundSize(found(args)),
                ref: lookupRef(found(args)),
                start: args.context.resumeFrom
                  ? resumeStart(args.context.resumeFrom, foundSize(found(args)), foundTime(found(args)))
                  : 0,
              }),
            },
            {
              type: 'write' as const,
              params: (args: LookedUp) => ({ bytes: downloadReply(args.context, found(args)) }),
            },
            'flush' as const,
          ],
        },
        ...refusals.refusals,
      ],
    },
    send_check_download: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'check_download_confirmation' } },
    check_download_confirmation: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        'frame.confirm': [
          { guard: statusIs(STATUS.yes), target: 'downloading' },
          {
            guard: statusIs(STATUS.no),
            target: completeTarget,
            actions: {
              type: 'finish' as const,
              params: { outcome: 'cancelled' as const, code: 'peer.declined' as const, detail: 'client declined' },
            },
          },
          {
            target: failedTarget,
            actions: finishWith(
              'protocol_error',
              'protocol.violation',
              ({ event }: { event: { status: number } }) => `bad confirmation ${statusLetter(event.status)}`,
            ),
          },
        ],
      },
    },
    downloading: sendFromSource({
      ref: (context: DownloadContext) => context.ref ?? '',
      start: (context: DownloadContext) => context.start,
      sentTarget: completeTarget,
      digest: (context: DownloadContext) => checksDigest(context.extended, context.agreed),
      outcome: 'downloaded' as const,
      failure: 'server_error' as const,
      failedTarget,
    }),
    download_complete: { type: 'final' as const, entry: 'end' as const },
  };
}
