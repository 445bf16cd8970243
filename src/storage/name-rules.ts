/**
 * The rules a requested name must pass before any file system call, shared by
 * the folder and memory stores: relative, no `..`, no NUL, backslash or
 * control bytes, not ending in `/` (a folder), and never one of wirestate's own temporary files; a name a
 * store is to create (an upload's), no bidirectional controls either.
 */
import { WirestateError } from './errors';

/** Suffix of in-progress files; such names are never served or accepted. */
export const TEMP_SUFFIX = '.wirestate-part';
/** Suffix of interrupted transfers kept to resume from (resume-names.ts); never served or accepted either. */
export const RESUME_SUFFIX = '.wirestate-resume';
/**
 * Suffix of a download's lock (download-lock.ts), which is written whole under a temporary name of its own before
 * it is linked into place: not a part's, or whoever looks for a download's part would meet the lock as one. Never
 * served or accepted either: a start-up sweep removes the staged ones a stopped process left (temp-names.ts).
 */
export const LOCK_SUFFIX = '.wirestate-lock';

/** Whether `name` is one of wirestate's own in-progress, kept or lock files. */
export const isWirestatePart = (name: string) =>
  name.endsWith(TEMP_SUFFIX) || name.endsWith(RESUME_SUFFIX) || name.endsWith(LOCK_SUFFIX);
const MAX_NAME_BYTES = 255;

/** Returns the name's path segments, or throws a `WirestateError` saying why it is refused. */
export function checkName(name: string): string[] {
  // Look-alikes (fullwidth dots and slashes, say) that read as a path once normalized are refused like the path itself.
  const folded = name.normalize('NFKC');
  if (folded !== name) checkName(folded);
  if (name.length === 0) throw new WirestateError('name.empty', 'empty name');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw new WirestateError('name.too_long', 'name over 255 bytes');
  if (name.includes('\0')) throw new WirestateError('name.nul', 'NUL byte in name');
  // C0, DEL and C1 (U+0080-U+009F, CSI among them): a terminal showing the name would obey them.
  if (/[\x01-\x1f\x7f-\x9f]/.test(name)) throw new WirestateError('name.reserved', 'control character in name');
  if (/[\u2044\u2215\u2216\u29f8\u29f9\uff3c]/.test(name))
    throw new WirestateError('name.reserved', 'a character that looks like a path separator');
  if (name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name)) {
    throw new WirestateError('name.escapes', 'absolute or backslash path');
  }
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw new WirestateError('name.empty', 'name has no file part');
  // `sub/` names a folder: the original server fails it, so it is never the file `sub`.
  if (/\/\.?$/.test(name)) throw new WirestateError('name.folder', 'name ends in /');
  if (segments.includes('..')) throw new WirestateError('name.escapes', '".." in name');
  if (isWirestatePart(segments[segments.length - 1])) throw new WirestateError('name.reserved', 'temporary file name');
  return segments;
}

/**
 * `checkName` for a name a store is to create: no bidirectional controls either (RLO and its kin), with which an
 * uploader could plant `invoice\u202Etxt.exe`, shown as `invoiceexe.txt` by a listing that does not escape them.
 * A file already there with one is still served, and wirestate's client shows it escaped.
 */
export function checkNewName(name: string): string[] {
  if (/\p{Bidi_Control}/u.test(name))
    throw new WirestateError('name.reserved', 'a bidirectional control character, which makes a name read as another');
  return checkName(name);
}
