import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createActor, setup } from 'xstate';
import { outgoingBytes } from '../storage/outgoing-bytes';
import { createResumableFile } from '../storage/resumable-file';
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

  it('a source is done once its last chunk has left, without reading past the size announced', async () => {
    const content = Buffer.alloc(4096, 7);
    const store = outgoingBytes([content]);
    let reads = 0;
    const counted = { ...store, read: (into: Buffer) => (reads++, store.read(into)) };
    const heard: string[] = [];
    const parent = createActor(
      setup({ actors: { source: fileSource(() => counted) } }).createMachine({
        invoke: { id: 'source', src: 'source', input: { ref: 'f', size: content.length, idleMs: 60_000 } },
        on: { '*': { actions: ({ event }) => heard.push(event.type) } },
      }),
    );
    parent.start();
    const written = await new Promise<(() => void) | undefined>((resolve) =>
      parent.getSnapshot().children.source?.on('wire.write', (command) => resolve(command.written)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Still on its way (a peer that reads nothing holds it there): not done, however long.
    expect(heard).toEqual([]);
    written?.();
    expect(heard).toEqual(['file.done']);
    expect(reads).toBe(1);
    parent.stop();
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

  it.each([6000, 0])(
    'a sink stopped before its first buffer filled keeps the %d bytes it took in a resumable part (none: no part)',
    async (size) => {
      const folder = await mkdtemp(join(tmpdir(), 'wirestate-sink-'));
      try {
        const kept = '.f.tag.wirestate-resume';
        const file = createResumableFile(join(folder, 'f'), kept, 0, { noClobber: true });
        const sink = createActor(
          fileSink(() => file),
          { input: { ref: 'f', size: 1 << 20, idleMs: 60_000 } },
        );
        sink.start();
        const content = Buffer.from(Array.from({ length: size }, (_, i) => i % 251));
        sink.send({ type: 'frame.data', chunk: content.subarray(0, 1000) });
        sink.send({ type: 'frame.data', chunk: content.subarray(1000) });
        sink.stop();
        await once(file.stream, 'close');
        if (size > 0) expect((await readFile(join(folder, kept))).equals(content)).toBe(true);
        else expect(await readdir(folder)).toEqual([]);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  );
});
