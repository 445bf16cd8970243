/**
 * Why a storage lookup gives nothing to read or write, as the stable codes
 * every protocol that looks names up shares (part of its closed union of
 * outcome codes: replay rebuilds a folder from them, exit codes follow them),
 * and the detail a log shows beside them.
 */
import type { DownloadLookup, UploadLookup } from './file-store';
import { nameErrorWords } from './name-error-words';

export type StorageCode =
  /** No file of that name. */
  | 'file.missing'
  /** The name exists already (uploads never replace a file). */
  | 'file.exists'
  /** Another connection holds the name. */
  | 'file.busy'
  /** The storage refused the name (detail: its code in words, `a name that leads out of the served folder`, or EACCES). */
  | 'file.refused'
  /** The storage takes no uploads (`--read-only`). */
  | 'storage.read_only'
  /** The storage failed while answering (detail: its errno). */
  | 'storage.failed';

/** The code of a lookup that found nothing usable (a lookup that found a file or a free name has none). */
export function refusalCode(lookup: DownloadLookup | UploadLookup): Exclude<StorageCode, 'storage.failed'> {
  if (lookup.kind === 'exists') return 'file.exists';
  if (lookup.kind === 'busy') return 'file.busy';
  if (lookup.kind === 'read_only') return 'storage.read_only';
  return lookup.kind === 'refused' ? 'file.refused' : 'file.missing';
}

/** What the detail says for each lookup that found nothing usable, in the words the protocol's refusal means. */
const REFUSAL_WORDS = {
  missing: 'no such file',
  exists: 'a file of that name exists',
  busy: 'another connection is using that name',
  read_only: 'read-only server',
} as const;

/** The detail beside it: for a refused name the storage's words, or its code's (name-error-words.ts); else the refusal in words. */
export function refusalDetail(lookup: DownloadLookup | UploadLookup): string {
  if (lookup.kind === 'refused') return lookup.detail ?? nameErrorWords(lookup.code);
  return lookup.kind in REFUSAL_WORDS ? REFUSAL_WORDS[lookup.kind as keyof typeof REFUSAL_WORDS] : lookup.kind;
}
