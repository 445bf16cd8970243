/**
 * A served folder that takes no uploads (`--read-only`): every upload is
 * answered `read_only`, which each protocol refuses on the wire exactly as it
 * refuses a name that exists (transfer `F`, share `cancel`), while its log
 * and code (`storage.read_only`) say why; downloads and listings are untouched.
 */
import type { ServerFiles, UploadLookup } from './file-store';

/** `files` with every upload refused; every other call goes to `files` itself. */
export function readOnly<Files extends ServerFiles>(files: Files): Files {
  const refused: UploadLookup = { kind: 'read_only' };
  const refuse: Pick<ServerFiles, 'reserveUpload'> = { reserveUpload: () => refused };
  return Object.assign(Object.create(files) as Files, refuse);
}
