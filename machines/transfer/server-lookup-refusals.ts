/**
 * How the transfer server refuses a request around its name lookup, the same for a download and an upload
 * but for the reply's frame (DOWNLOAD_REPLY or UPLOAD_REPLY) and the kinds of lookup that are refusals:
 * `E` for a name that could not be read or that the storage refuses, `N` for a name missing, existing, busy or on a
 * read-only server, `E` when the storage fails. Each ends the request at `completeTarget`.
 */
import type { StateTarget } from '../../src/engine/state-targets';
import { errorCode, isNameErrorCode, type NameErrorCode } from '../../src/storage/errors';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import { refusalCode, refusalDetail } from '../../src/storage/lookup-refusal';
import { nameErrorWords } from '../../src/storage/name-error-words';
import { required } from '../../src/engine/required';
import { STATUS, type Status } from './frames';
import type { Finish } from './outcome';
import { finishWith } from './server-replies';

type Lookup = DownloadLookup | UploadLookup;

/** A lookup the store could not answer: it threw (an I/O error). */
export interface LookupFailure {
  kind: 'failed';
  error: unknown;
}

/** What a request's lookup answered, kept in the machine's context for the request state's branches. */
export type Answered<L extends Lookup> = L | LookupFailure;

/** The store's answer, or what it threw: a lookup asked within the machine's step must not throw out of it. */
export function answered<L extends Lookup>(lookUp: () => L): Answered<L> {
  try {
    return lookUp();
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** What the request state's branches read: the lookup kept in context (a request state is entered only through one). */
interface LookedUp {
  context: { lookup?: Answered<Lookup> };
}
export const lookupOf = ({ context }: LookedUp): Answered<Lookup> =>
  required(context.lookup, 'the request state looks its name up on entry');

/** The ref a lookup that goes on (`found`, `free`) returned: what every later file call of the request takes. */
export const lookupRef = (lookup: Answered<Lookup>) =>
  lookup.kind === 'found' || lookup.kind === 'free' ? lookup.ref : '';

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

/** The store threw instead of answering: the server's error, with the errno as the detail. */
const storeFailed = finishWith('server_error', 'storage.failed', (args: LookedUp) => {
  const lookup = lookupOf(args);
  return lookup.kind === 'failed' ? errorCode(lookup.error) : undefined;
});

/**
 * `nameRejected`: the request state's first `always` branch, before the lookup's; `refusals`: its last ones,
 * after those that go on: a refusal the lookup answered, or the store failing.
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
        guard: 'storeFailed' as const,
        target: completeTarget,
        actions: [reply(STATUS.error), storeFailed],
      },
      {
        guard: ({ context }: LookedUp) => refused.includes(context.lookup?.kind as Lookup['kind']),
        target: completeTarget,
        actions: [
          reply(STATUS.no),
          {
            type: 'finish' as const,
            params: (args: LookedUp): Finish => ({
              outcome: 'refused',
              code: refusalCode(lookupOf(args) as Lookup),
              detail: refusalDetail(lookupOf(args) as Lookup),
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
            params: (args: LookedUp) => storageRefusal(lookupOf(args) as Lookup),
          },
        ],
      },
    ],
  };
}
