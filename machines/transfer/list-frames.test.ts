/** The listing's frames byte for byte, as docs/protocol-extensions.md shows them, and read back in any cutting. */
import { TransferFrameReader, type InboundFrame } from './frame-reader';
import {
  LARGEST_ENTRY_SIZE,
  LIST_CHUNK_HEADER_SIZE,
  decodeListEntries,
  encodeListEntry,
  encodeListRequest,
  encodePlainFarewell,
  listingBytes,
} from './list-frames';
import type { ListedFile } from '../../src/storage/file-store';

const hex = (text: string) => Buffer.from(text.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');

async function* filesOf(files: ListedFile[]) {
  for (const file of files) yield file;
}

/** Every read of the listing, each into a fresh buffer of `size` bytes, until the end. */
async function readAll(files: ListedFile[], size: number): Promise<Buffer[]> {
  const listing = listingBytes(filesOf(files));
  const reads: Buffer[] = [];
  for (;;) {
    const into = Buffer.alloc(size);
    const count = await listing.read(into);
    if (count === 0) return reads;
    reads.push(into.subarray(0, count));
  }
}

const HELLO_FILE = { name: 'hello', size: 5, mtimeMs: 1701000000000 };

it("REQUEST('l') is op 'l' and a name field all NUL: the served root", () => {
  const frame = encodeListRequest();
  expect(frame.length).toBe(256);
  expect(frame[0]).toBe(0x6c);
  expect(frame.subarray(1).every((byte) => byte === 0)).toBe(true);
});

it("the farewell to an original server is a plain 'D' of the empty name", () => {
  const frame = encodePlainFarewell();
  expect(frame.length).toBe(256);
  expect(frame[0]).toBe(0x44);
  expect(frame.subarray(1).every((byte) => byte === 0)).toBe(true);
});

it('an entry is the name length, the UTF-8 name, u64 size, u64 mtime in ms', () => {
  expect(encodeListEntry(HELLO_FILE)).toEqual(
    hex(`
      05 68 65 6c 6c 6f           # name length 5, "hello"
      00 00 00 00 00 00 00 05     # size 5
      00 00 01 8c 0b 80 32 00     # mtime 1701000000000 ms`),
  );
  expect(encodeListEntry({ name: 'ü b', size: 0, mtimeMs: 0 }).subarray(0, 5)).toEqual(hex('04 c3 bc 20 62'));
});

it('the listing is LIST_CHUNKs of whole entries, then the empty chunk, then the end', async () => {
  expect(Buffer.concat(await readAll([HELLO_FILE], 64 * 1024))).toEqual(
    hex(`
      00 00 00 16                 # LIST_CHUNK: 22 bytes of entries follow
      05 68 65 6c 6c 6f           # name length 5, "hello"
      00 00 00 00 00 00 00 05     # size 5
      00 00 01 8c 0b 80 32 00     # mtime 1701000000000 ms
      00 00 00 00                 # LIST_CHUNK of 0 bytes: the listing ends`),
  );
  expect(await readAll([], 64 * 1024)).toEqual([hex('00 00 00 00')]);
});

it('cuts a listing into chunks of whole entries, each read no longer than its buffer', async () => {
  const files = Array.from({ length: 50 }, (_, index) => ({
    name: `${'n'.repeat(index * 5)}${index}`,
    size: index * 1000,
    mtimeMs: 1_700_000_000_000 + index,
  }));
  const size = LARGEST_ENTRY_SIZE + LIST_CHUNK_HEADER_SIZE;
  const reads = await readAll(files, size);
  expect(reads.length).toBeGreaterThan(2);
  const entries: Buffer[] = [];
  for (const read of reads) {
    expect(read.length).toBeLessThanOrEqual(size);
    expect(read.readUInt32BE(0)).toBe(read.length - LIST_CHUNK_HEADER_SIZE);
    entries.push(read.subarray(LIST_CHUNK_HEADER_SIZE));
    // Every chunk holds whole entries: each decodes on its own.
    decodeListEntries(read.subarray(LIST_CHUNK_HEADER_SIZE));
  }
  expect(reads.at(-1)).toEqual(hex('00 00 00 00'));
  expect(decodeListEntries(Buffer.concat(entries))).toEqual(files);
});

it('a list client reads LIST_REPLY and the chunks the same in any cutting, and nothing after the end', async () => {
  // The second entry does not fit beside the first in one chunk of this size: two chunks.
  const files = [HELLO_FILE, { name: `${'ü'.repeat(120)} b.txt`, size: 2 ** 40, mtimeMs: 0 }];
  const stream = Buffer.concat([Buffer.of(0x74), ...(await readAll(files, LARGEST_ENTRY_SIZE + 4))]);
  const framesIn = (pieces: Buffer[]) => {
    const reader = new TransferFrameReader('list', { hello: true });
    const frames: InboundFrame[] = [];
    for (const piece of pieces) {
      reader.push(piece);
      for (let frame = reader.next(); frame; frame = reader.next()) frames.push(frame);
    }
    return frames;
  };
  const whole = framesIn([stream]);
  expect(whole.map((frame) => frame.type)).toEqual([
    'frame.list_reply',
    'frame.list_chunk',
    'frame.data',
    'frame.list_chunk',
    'frame.data',
    'frame.list_chunk',
    'frame.data_end',
  ]);
  const data = (frames: InboundFrame[]) =>
    Buffer.concat(frames.flatMap((frame) => (frame.type === 'frame.data' ? [frame.chunk] : [])));
  expect(decodeListEntries(data(whole))).toEqual(files);
  for (let cut = 1; cut < stream.length; cut++) {
    const frames = framesIn([stream.subarray(0, cut), stream.subarray(cut)]);
    expect(frames.filter((frame) => frame.type !== 'frame.data')).toEqual(
      whole.filter((frame) => frame.type !== 'frame.data'),
    );
    expect(data(frames)).toEqual(data(whole));
  }
  expect(framesIn([stream, Buffer.of(0x41)]).at(-1)).toEqual({ type: 'frame.unexpected', length: 1 });
});

it("a list client that fell back to the plain protocol reads the farewell's plain DOWNLOAD_REPLY", () => {
  const reader = new TransferFrameReader('list', { hello: true });
  reader.push(hex('46 00 00 00 00 00 00 00 00')); // 'F' + size 0: no such file
  expect(reader.next()).toEqual({ type: 'frame.download_reply', status: 0x46, size: 0 });
});

it("a server reads REQUEST('l') as the list op, in the extension grammar", () => {
  const reader = new TransferFrameReader('server', { capabilities: 7 });
  reader.push(encodeListRequest());
  expect(reader.next()).toMatchObject({ type: 'frame.request', op: 0x6c, extended: true });
});
