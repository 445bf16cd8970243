/**
 * Names of transfers kept to be resumed: `.NAME.TAG.wirestate-resume`, next to the final file. TAG says
 * which transfer it is (a client's download: the server file's size, mtime and name; a server's upload: the
 * client's upload id), so a kept file is only ever continued by the same transfer. NAME is cut to fit, as
 * for temporary names (temp-names.ts), and a cut one ends in `~` and 16 hex digits of its SHA-256: two long
 * names that begin alike never share a kept file, which two transfers would then write at once.
 */
import { createHash } from 'node:crypto';
import { RESUME_SUFFIX } from './name-rules';
import { tempPrefixFor } from './temp-names';

/** Bytes a tag may take. */
const TAG_ROOM = 64;
/** Room left for NAME in a 255-byte folder entry: two dots, the tag, the suffix. */
const NAME_ROOM = 255 - (2 + TAG_ROOM + RESUME_SUFFIX.length);
/** `~` and the digest a cut NAME ends in. */
const DIGEST_ROOM = 1 + 16;

/** `.NAME.` of the kept files for `name`: whole when it fits beside a digest, else cut and marked with its digest. */
function keptPrefixFor(name: string): string {
  if (Buffer.byteLength(name) <= NAME_ROOM - DIGEST_ROOM) return `.${name}.`;
  const digest = createHash('sha256')
    .update(name)
    .digest('hex')
    .slice(0, DIGEST_ROOM - 1);
  return `${tempPrefixFor(name, NAME_ROOM - DIGEST_ROOM).slice(0, -1)}~${digest}.`;
}

/** The kept file's name for a transfer `tag` of the file `name` (one folder entry, not a path). */
export const resumeNameFor = (name: string, tag: string) => `${keptPrefixFor(name)}${tag}${RESUME_SUFFIX}`;

/** The tags of the kept files for `name` among a folder's `entries` (tags never hold a dot). */
export function keptTags(entries: string[], name: string): string[] {
  const prefix = keptPrefixFor(name);
  return entries
    .filter((entry) => entry.startsWith(prefix) && entry.endsWith(RESUME_SUFFIX))
    .map((entry) => entry.slice(prefix.length, -RESUME_SUFFIX.length))
    .filter((tag) => tag !== '' && !tag.includes('.'));
}
