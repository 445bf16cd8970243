import { Writable } from 'node:stream';
import { pooledWriter } from './pooled-writer';

/** A stream that keeps what it is given and completes each write only when told: a slow disk. */
function slowDisk() {
  const written: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1, // every write waits for the previous one: what the writer may not wait for
    write(chunk: Buffer, _encoding, callback) {
      written.push(Buffer.from(chunk));
      buffers.add(chunk.buffer);
      pending.push(() => callback());
    },
  });
  const completeOne = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { stream, written, buffers, completeOne, pending };
}

describe('pooledWriter', () => {
  it('writes every byte in order through a few reused buffers, whatever the chunking', async () => {
    const disk = slowDisk();
    const events: string[] = [];
    const writer = pooledWriter(disk.stream, {
      bytes: 4000,
      buffers: 4,
      full: () => events.push('full'),
      drained: () => events.push('drained'),
    });
    // Chunks of 1 to 996 bytes, none larger than a buffer (as a socket's reads are against a sink's 256 KiB).
    const content = Buffer.from(Array.from({ length: 25_003 }, (_, i) => (i * 7) % 256));
    for (let offset = 0, size = 1; offset < content.length; offset += size, size = (size * 3) % 997 || 1) {
      const chunk = Buffer.from(content.subarray(offset, offset + size));
      writer.write(chunk);
      chunk.fill(0); // the caller's chunk is free again at once: the writer kept a copy
      while (writer.isFull) await disk.completeOne();
    }
    writer.flush();
    while (disk.pending.length > 0) await disk.completeOne();

    expect(Buffer.concat(disk.written).equals(content)).toBe(true);
    expect(disk.buffers.size).toBeLessThanOrEqual(5);
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((event, i) => event === (i % 2 === 0 ? 'full' : 'drained'))).toEqual(events);
  });

  it('says full once every buffer is on its way, and drained only once half of them are back', async () => {
    const disk = slowDisk();
    const events: string[] = [];
    const writer = pooledWriter(disk.stream, {
      bytes: 400,
      buffers: 4,
      full: () => events.push('full'),
      drained: () => events.push('drained'),
    });
    writer.write(Buffer.alloc(300, 1));
    expect(writer.isFull).toBe(false);
    writer.write(Buffer.alloc(100, 2));
    expect(events).toEqual(['full']);
    expect(writer.isFull).toBe(true);
    await disk.completeOne();
    expect(events).toEqual(['full']);
    expect(writer.isFull).toBe(true);
    await disk.completeOne();
    expect(events).toEqual(['full', 'drained']);
    expect(writer.isFull).toBe(false);
  });

  it('tells which bytes it handed on are not yet written, and from where in the stream', async () => {
    const disk = slowDisk();
    const writer = pooledWriter(disk.stream, {
      bytes: 400,
      buffers: 4,
      full: () => undefined,
      drained: () => undefined,
    });
    const content = Buffer.from(Array.from({ length: 250 }, (_, i) => i));
    writer.write(content);
    writer.flush();
    expect(Buffer.concat(writer.unwritten().chunks).equals(content)).toBe(true);
    expect(writer.unwritten().at).toBe(0);
    await disk.completeOne();
    await disk.completeOne();
    const { at, chunks } = writer.unwritten();
    expect(at).toBe(200);
    expect(Buffer.concat(chunks).equals(content.subarray(200))).toBe(true);
    await disk.completeOne();
    expect(writer.unwritten()).toEqual({ at: 250, chunks: [] });
  });
});
