import { once } from 'node:events';
import { fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskWriteStream } from './disk-write-stream';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'wirestate-disk-write-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const isOpen = (fd: number) => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

describe('DiskWriteStream', () => {
  it('writes each chunk into the file at once, from its start on, and closes the file once ended', async () => {
    const path = join(dir, 'part');
    await writeFile(path, 'kept:');
    const fd = openSync(path, 'r+');
    const stream = new DiskWriteStream(fd, 5);
    stream.write(Buffer.from('new '));
    // On the disk before the write's callback has even run: nothing waits in a queue.
    expect(readFileSync(path, 'utf8')).toBe('kept:new ');
    stream.end(Buffer.from('bytes'));
    await once(stream, 'close');
    expect(readFileSync(path, 'utf8')).toBe('kept:new bytes');
    expect(stream.bytesWritten).toBe(9);
    expect(isOpen(fd)).toBe(false);
  });

  it('fails with the write’s error (a descriptor that cannot write), and closes the file', async () => {
    const path = join(dir, 'read-only');
    await writeFile(path, '');
    const fd = openSync(path, 'r');
    const stream = new DiskWriteStream(fd);
    const failed = once(stream, 'error') as Promise<[NodeJS.ErrnoException]>;
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.write(Buffer.from('x'));
    expect((await failed)[0].code).toBe('EBADF');
    await closed;
    expect(isOpen(fd)).toBe(false);
  });

  it('destroyed while its end syncs: the file closes once, after the sync, with no error', async () => {
    const fd = openSync(join(dir, 'part'), 'w');
    const stream = new DiskWriteStream(fd);
    const errors: Error[] = [];
    stream.on('error', (error) => errors.push(error));
    stream.end(Buffer.from('bytes'));
    // The end's fsync has gone out (on the next tick); its answer can come only on a later turn of the loop.
    await new Promise((resolve) => process.nextTick(resolve));
    stream.destroy();
    expect(isOpen(fd)).toBe(true);
    await once(stream, 'close');
    expect(isOpen(fd)).toBe(false);
    expect(errors).toEqual([]);
  });
});
