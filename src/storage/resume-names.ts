/**
 * Names of transfers kept to be resumed: `.NAME.TAG.wirestate-resume`, next to the final file. TAG says
 * which transfer it is (a client's download: the server file's size, mtime and name; a server's upload: the
 * client's upload id), so a kept file is only ever continued by the same transfer. NAME is cut to fit, as
 * for temporary names (temp-names.ts), a cut one ending in `~` and 16 hex digits of its SHA-256: two long
 * names that begin alike never share a kept file, which two transfers would then write at once.
 */
import { RESUME_SUFFIX } from './name-rules';
import { tempPrefixFor } from './temp-names';

/** Bytes a tag may take. */
const TAG_ROOM = 64;
/** Room left for NAME in a 255-byte folder entry: two dots, the tag, the suffix. */
const NAME_ROOM = 255 - (2 + TAG_ROOM + RESUME_SUFFIX.length);

/** The kept file's name for a transfer `tag` of the file `name` (one folder entry, not a path). */
export const resumeNameFor = (name: string, tag: string) => `${tempPrefixFor(name, NAME_ROOM)}${tag}${RESUME_SUFFIX}`;

/** The tags of the kept files for `name` among a folder's `entries` (tags never hold a dot). */
export function keptTags(entries: string[], name: string): string[] {
  const prefix = tempPrefixFor(name, NAME_ROOM);
  return entries
    .filter((entry) => entry.startsWith(prefix) && entry.endsWith(RESUME_SUFFIX))
    .map((entry) => entry.slice(prefix.length, -RESUME_SUFFIX.length))
    .filter((tag) => tag !== '' && !tag.includes('.'));
}
