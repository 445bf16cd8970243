/**
 * Properties over generated input (fast-check, bounded runs): the result never
 * depends on how the stream is cut, and no bytes whatsoever make a machine
 * throw, talk beyond the protocol, or stop short of a final state.
 */
import fc from 'fast-check';
import { PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import {
  DOWNLOAD_REPLY_SIZE,
  OP,
  REQUEST_SIZE,
  STATUS,
  UPLOAD_SIZE_SIZE,
  encodeRequest,
  encodeStatus,
  encodeUploadSize,
} from './frames';
import { hostileBytes } from '../../scripts/fuzz-live';
import { transferClient, transferServer } from '.';

const STORED = Buffer.from('x'.repeat(100));
const server = (files: MemoryFiles, inputs: ReplayInput[]) =>
  replay(transferServer(files, { maxUploadSize: 5000 }).accept('c1'), inputs);

/** `bytes` cut at the given offsets. */
function cutAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) pieces.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return pieces;
}

const hostile = hostileBytes(['a', 'b', '../a', ''], 600);

// Each run cuts its stream in up to 30 places, fc.nat() favouring the small offsets of the frames' headers: a cut
// that changed the result would be met within a few dozen runs (and the suite's CPU is paid on every CI run).
describe('any cutting of a valid exchange gives the same result', () => {
  it('upload: the same bytes stored, replies, states and outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (content, offsets) => {
          const stream = Buffer.concat([encodeRequest(OP.upload, 'up.bin'), encodeUploadSize(content.length), content]);
          const whole = await server(new MemoryFiles(), [stream]);
          const files = new MemoryFiles();
          const cut = await server(files, cutAt(stream, offsets));
          expect(cut).toEqual(whole);
          expect(files.files.get('up.bin')).toEqual(Buffer.from(content));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('download: the same bytes sent, states and outcome', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 30 }), async (offsets) => {
        const stream = Buffer.concat([encodeRequest(OP.download, 'a'), encodeStatus(STATUS.yes)]);
        const whole = await server(new MemoryFiles({ a: STORED }), [stream]);
        expect(whole.outcome).toMatchObject({ outcome: 'downloaded' });
        expect(await server(new MemoryFiles({ a: STORED }), cutAt(stream, offsets))).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });
});

describe('arbitrary bytes', () => {
  it('into a server: no throw, at most the protocol replies, always a final state, nothing left held or open', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.array(fc.nat(), { maxLength: 20 }), async (bytes, offsets) => {
        const files = new MemoryFiles({ a: STORED });
        const result = await server(files, [...cutAt(Buffer.from(bytes), offsets), PEER_ENDS]);
        expect(result.outcome).toBeDefined();
        expect(result.closed).not.toBe('open');
        expect(result.sent.length).toBeLessThanOrEqual(DOWNLOAD_REPLY_SIZE + STORED.length);
        expect(files.holds.size).toBe(0);
        expect(files.open).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('into a client: no throw, at most its own frames, always a final state', async () => {
    const content = Buffer.from('upload me');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('download' as const, 'upload' as const),
        fc.uint8Array({ maxLength: 300 }),
        async (operation, bytes) => {
          const local = memoryLocalFile(content);
          const result = await replay(transferClient(local, { operation, serverName: 'f', size: content.length }), [
            Buffer.from(bytes),
            PEER_ENDS,
          ]);
          expect(result.outcome).toBeDefined();
          expect(result.sent.length).toBeLessThanOrEqual(REQUEST_SIZE + UPLOAD_SIZE_SIZE + content.length + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
