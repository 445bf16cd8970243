/**
 * The listing's frames (docs/protocol-extensions.md, "Listing `l`"): the `l` request, the LIST_REPLY and
 * the LIST_CHUNKs of entries that follow it, ended by an empty chunk. Pure encode and decode, like
 * frames.ts; `listingBytes` turns the server's files, pulled one at a time, into those chunks, so a
 * folder of any size is sent in constant memory.
 */
import type { ListedFile, OutgoingFile } from '../../src/storage/file-store';
import { OP, REQUEST_SIZE, requestCarries, toSafeSize } from './frames';
import { EXT_OP } from './extension-frames';

/** LIST_CHUNK's header: u32 length of the entries that follow; 0 ends the listing. */
export const LIST_CHUNK_HEADER_SIZE = 4;
/** An entry's fixed part: u8 name length, then (after the name) u64 size and u64 mtime in ms. */
const ENTRY_FIXED_SIZE = 1 + 8 + 8;
/** The largest entry: a 255-byte name. A chunk buffer holds at least this much, so every chunk carries an entry. */
export const LARGEST_ENTRY_SIZE = ENTRY_FIXED_SIZE + 255;

/** REQUEST('l', ""): the name field all NUL, the served root. */
export function encodeListRequest(): Buffer {
  const frame = Buffer.alloc(REQUEST_SIZE);
  frame[0] = EXT_OP.list;
  return frame;
}

/**
 * What a list client sends an original server after its silent hello: a plain `D` of the empty name. The
 * original answers `F` and closes; a peer that just closed would leave it spinning (PROTOCOL.md).
 */
export function encodePlainFarewell(): Buffer {
  const frame = Buffer.alloc(REQUEST_SIZE);
  frame[0] = OP.download;
  return frame;
}

/**
 * The most listing a client keeps (its entries, in memory until the server's close): room for over half a
 * million files of the longest names, millions of usual ones; a server that sends more is not listing a folder.
 */
export const LISTING_LIMIT = 128 * 1024 * 1024;
/** The most files a client takes from one listing: each costs it a few hundred bytes once read and sorted. */
export const LISTING_MAX_FILES = 1_000_000;

/** One entry: u8 name length, the name in UTF-8, u64 size, u64 mtime in ms since 1970. */
export function encodeListEntry(file: ListedFile): Buffer {
  const name = Buffer.from(file.name, 'utf8');
  const entry = Buffer.alloc(ENTRY_FIXED_SIZE + name.length);
  entry[0] = name.length;
  name.copy(entry, 1);
  entry.writeBigUInt64BE(BigInt(file.size), 1 + name.length);
  entry.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(file.mtimeMs))), 9 + name.length);
  return entry;
}

/**
 * The entries of a listing's chunks, header-less and joined (what a list client receives as DATA). Throws, saying
 * what is wrong, for an entry cut short or with no name, and past LISTING_MAX_FILES entries.
 */
export function decodeListEntries(bytes: Buffer): ListedFile[] {
  const files: ListedFile[] = [];
  for (let at = 0; at < bytes.length;) {
    if (files.length === LISTING_MAX_FILES)
      throw new Error(
        `a listing of more than ${LISTING_MAX_FILES.toLocaleString('en')} files, more than a client keeps`,
      );
    const length = bytes[at];
    const end = at + 1 + length;
    if (length === 0) throw new Error(`a listing entry at byte ${at} has no name`);
    if (end + 16 > bytes.length) throw new Error(`a listing entry at byte ${at} is cut short`);
    files.push({
      name: bytes.toString('utf8', at + 1, end),
      size: toSafeSize(bytes.readBigUInt64BE(end)),
      mtimeMs: toSafeSize(bytes.readBigUInt64BE(end + 8)),
    });
    at = end + 16;
  }
  return files;
}

/**
 * The listing as the server sends it after its LIST_REPLY: each read fills the buffer it is given with one
 * LIST_CHUNK (header, then as many whole entries as fit), the next read after the last file gives the
 * empty chunk, and the one after that 0 (the end). Pulls files only as chunks are read, so memory is one
 * chunk buffer and one entry, whatever the folder holds. `into` must hold LARGEST_ENTRY_SIZE + 4 bytes.
 * A file whose name a request cannot carry unchanged (white space at an end, which decodeName trims) is
 * left out: the listing shows only names a download would find.
 */
export function listingBytes(files: AsyncIterable<ListedFile>): OutgoingFile {
  const source = files[Symbol.asyncIterator]();
  let pending: Buffer | undefined;
  let filesDone = false;
  let ended = false;
  return {
    read: async (into) => {
      if (ended) return 0;
      let filled = LIST_CHUNK_HEADER_SIZE;
      for (;;) {
        if (!pending && !filesDone) {
          const next = await source.next();
          if (next.done) filesDone = true;
          else if (requestCarries(next.value.name)) pending = encodeListEntry(next.value);
          else continue;
        }
        if (!pending || filled + pending.length > into.length) break;
        filled += pending.copy(into, filled);
        pending = undefined;
      }
      const length = filled - LIST_CHUNK_HEADER_SIZE;
      if (length === 0) ended = true;
      into.writeUInt32BE(length, 0);
      return filled;
    },
    close: () => void source.return?.(),
  };
}
