/**
 * How the transfer server refuses a request around its name lookup, the same for a download and an upload
 * but for the reply's frame (DOWNLOAD_REPLY or UPLOAD_REPLY) and the kinds of lookup that are refusals:
 * `E` for a name that could not be read or that the storage refuses, `N` for a name missing, existing, busy or on a
 * read-only server, `E` when the storage fails. Each ends the request at `completeTarget`.
 */
import type { StateTarget } from '../../src/engine/state-targets';
import { isNameErrorCode, type NameErrorCode } from '../../src/storage/errors';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import { refusalCode, refusalDetail } from '../../src/storage/lookup-refusal';
import { nameErrorWords } from '../../src/storage/name-error-words';
import { required } from '../../src/engine/required';
import { STATUS, type Status } from './frames';
import type { Finish } from './outcome';
import { storageFailed } from './server-replies';

type Lookup = DownloadLookup | UploadLookup;

/** The ref a lookup that goes on (`found`, `free`) returned: what every later file call of the request takes. */
export const lookupRef = (lookup: Lookup) => (lookup.kind === 'found' || lookup.kind === 'free' ? lookup.ref : '');

/** An `E` for a name the rules refuse is the client's error, not a refusal: it asked for what no server serves. */
const nameError = (code: NameErrorCode): Finish => ({ outcome: 'protocol_error', code, detail: nameErrorWords(code) });
/** Answers E to a request whose name could not be read; only reached once `nameRejected` has seen `nameError` set. */
const nameRefusal = (context: { nameError?: NameErrorCode }): Finish =>
  nameError(required(context.nameError, 'name error'));
/** Why the storage answered E: a name its rules refuse (the client's error) or its own refusal, say EACCES (the server's). */
const storageRefusal = (lookup: Lookup): Finish =>
  lookup.kind === 'refused' && isNameErrorCode(lookup.code)
    ? nameError(lookup.code)
    : { outcome: 'server_error', code: 'file.refused', detail: refusalDetail(lookup) };

/**
 * `nameRejected`: the request state's `always`, before the lookup; `refusals`: the last branches of the
 * lookup's `onDone`, after those that go on; `failed`: its `onError`.
 */
export function lookupRefusals(
  reply: (status: Status) => { type: 'write'; params: { bytes: Buffer } },
  refused: readonly Lookup['kind'][],
  completeTarget: StateTarget,
) {
  return {
    nameRejected: {
      guard: 'nameRejected' as const,
      target: completeTarget,
      actions: [
        reply(STATUS.error),
        {
          type: 'finish' as const,
          params: ({ context }: { context: { nameError?: NameErrorCode } }) => nameRefusal(context),
        },
      ],
    },
    refusals: [
      {
        guard: ({ event }: { event: { output: Lookup } }) => refused.includes(event.output.kind),
        target: completeTarget,
        actions: [
          reply(STATUS.no),
          {
            type: 'finish' as const,
            params: ({ event }: { event: { output: Lookup } }): Finish => ({
              outcome: 'refused',
              code: refusalCode(event.output),
              detail: refusalDetail(event.output),
            }),
          },
        ],
      },
      {
        target: completeTarget,
        actions: [
          reply(STATUS.error),
          {
            type: 'finish' as const,
            params: ({ event }: { event: { output: Lookup } }) => storageRefusal(event.output),
          },
        ],
      },
    ],
    failed: { target: completeTarget, actions: [reply(STATUS.error), storageFailed] },
  };
}
