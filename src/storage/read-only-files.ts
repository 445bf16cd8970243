/**
 * A served folder that takes no uploads (`--read-only`): every upload is
 * answered as if its name existed, which is how each protocol already refuses
 * one (transfer `F`, share `cancel`); downloads and listings are untouched.
 */
import type { ServerFiles, UploadLookup } from './file-store';

/** `files` with every upload refused; every other call goes to `files` itself. */
export function readOnly<Files extends ServerFiles>(files: Files): Files {
  const exists: UploadLookup = { kind: 'exists' };
  return Object.assign(Object.create(files) as Files, { reserveUpload: async () => exists });
}
