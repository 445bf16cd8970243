import { Writable } from 'node:stream';
import { createActor } from 'xstate';
import { outgoingBytes } from '../storage/outgoing-bytes';
import { fileSink, fileSource, READ_CHUNK, WRITE_BUFFER } from './file-actors';

/** What a connection per small file costs in memory: the buffers its file actor allocates (their ArrayBuffers). */
describe('file actors size their buffers to a small file', () => {
  it('a source reading a 4 KiB file writes it from a 4 KiB buffer, not a READ_CHUNK one', async () => {
    const content = Buffer.alloc(4096, 7);
    const source = createActor(
      fileSource(() => outgoingBytes([content])),
      { input: { ref: 'f', size: content.length, idleMs: 60_000 } },
    );
    const written = new Promise<Uint8Array>((resolve) => source.on('wire.write', ({ bytes }) => resolve(bytes)));
    source.start();
    const bytes = await written;
    source.stop();
    expect(Buffer.from(bytes).equals(content)).toBe(true);
    expect(bytes.buffer.byteLength).toBe(4096);
    expect(READ_CHUNK).toBeGreaterThan(4096);
  });

  it('a sink receiving a 4 KiB file writes it to disk from a 4 KiB buffer, in one write', async () => {
    const writes: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writes.push(chunk);
        callback();
      },
    });
    const sink = createActor(
      fileSink(() => ({ stream, commit: () => Promise.resolve(), abort: () => undefined })),
      { input: { ref: 'f', size: 4096, idleMs: 60_000 } },
    );
    sink.start();
    sink.send({ type: 'frame.data', chunk: Buffer.alloc(1000, 1) });
    sink.send({ type: 'frame.data', chunk: Buffer.alloc(3096, 2) });
    sink.send({ type: 'sink.commit' });
    await new Promise((resolve) => setImmediate(resolve));
    sink.stop();
    expect(writes.map((chunk) => [chunk.length, chunk.buffer.byteLength])).toEqual([[4096, 4096]]);
    expect(WRITE_BUFFER / 4).toBeGreaterThan(4096);
  });
});
