import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingFile } from './file-store';
import { FolderFiles } from './folder-files';

let base: string;
let files: FolderFiles;
let canary: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-folder-'));
  canary = join(base, 'canary.txt');
  await writeFile(canary, 'outside the root');
  files = await FolderFiles.open(join(base, 'root'));
  await writeFile(join(files.root, 'speech.txt'), 'four score');
  await mkdir(join(files.root, 'sub'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('FolderFiles lookups', () => {
  it('creates the root if absent and finds files inside it', async () => {
    expect(files.lookupDownload('speech.txt', 'c1')).toEqual({
      kind: 'found',
      size: 10,
      mtimeMs: (await stat(join(files.root, 'speech.txt'))).mtimeMs,
      ref: join(files.root, 'speech.txt'),
    });
    expect(files.lookupDownload('nothing', 'c1')).toEqual({ kind: 'missing' });
  });

  it.each([
    ['../canary.txt', 'name.escapes'],
    ['sub/../../canary.txt', 'name.escapes'],
    ['/etc/passwd', 'name.escapes'],
    ['sub\\..\\x', 'name.escapes'],
    ['a\x01b', 'name.reserved'],
    ['.x.1234.wirestate-part', 'name.reserved'],
    // A staged download lock's name: the start-up sweep removes such files when their process id is not running.
    ['.evil.999999-abcdef.wirestate-lock', 'name.reserved'],
    ['sub/.notes.txt.wirestate-lock', 'name.reserved'],
    ['..', 'name.escapes'],
    ['./..', 'name.escapes'],
    ['sub/..', 'name.escapes'],
    ['..\\canary.txt', 'name.escapes'],
    ['C:canary.txt', 'name.escapes'],
    ['a\nb', 'name.reserved'],
    ['a\x7fb', 'name.reserved'],
    ['a\u0085b', 'name.reserved'],
    ['a\u009b2Jb', 'name.reserved'],
    ['\uff0e\uff0e\uff0fcanary.txt', 'name.escapes'],
    ['sub\u2215..\u2215..\u2215canary.txt', 'name.reserved'],
    ['x'.repeat(256), 'name.too_long'],
  ])('refuses %j for download and upload, touching nothing outside', async (name, code) => {
    expect(files.lookupDownload(name, 'c1')).toEqual({ kind: 'refused', code });
    expect(files.reserveUpload(name, 'c1')).toEqual({ kind: 'refused', code });
    expect(await readFile(canary, 'utf8')).toBe('outside the root');
  });

  it.each(['invoice\u202etxt.exe', 'a\u2066b\u2069', 'x\u200f'])(
    'refuses to create %j (a bidirectional control), and still serves a file already so named',
    async (name) => {
      expect(files.reserveUpload(name, 'c1')).toEqual({ kind: 'refused', code: 'name.reserved' });
      await writeFile(join(files.root, name), 'placed here');
      expect(files.lookupDownload(name, 'c1')).toMatchObject({ kind: 'found', size: 11 });
    },
  );

  it('refuses a symlink that points out of the root, for download and for upload into it', async () => {
    await symlink(canary, join(files.root, 'link-out'));
    await symlink(base, join(files.root, 'dir-out'));
    expect(files.lookupDownload('link-out', 'c1')).toEqual({ kind: 'refused', code: 'name.escapes' });
    expect(files.reserveUpload('dir-out/new.txt', 'c1')).toEqual({ kind: 'refused', code: 'name.escapes' });
    expect(await readFile(canary, 'utf8')).toBe('outside the root');
  });

  it('follows a symlink that stays inside the root', async () => {
    await symlink(join(files.root, 'speech.txt'), join(files.root, 'alias'));
    expect(files.lookupDownload('alias', 'c1')).toMatchObject({ kind: 'found', size: 10 });
  });

  it('resolves a symlink before it answers: one to a folder is no regular file, a dangling one is missing', async () => {
    await symlink(join(files.root, 'sub'), join(files.root, 'to-folder'));
    await symlink(join(files.root, 'gone.txt'), join(files.root, 'dangling'));
    expect(files.lookupDownload('to-folder', 'c1')).toEqual({ kind: 'refused', code: 'file.not_regular' });
    expect(files.lookupDownload('dangling', 'c1')).toEqual({ kind: 'missing' });
  });

  it('refuses a folder as a download and counts it as existing for an upload', async () => {
    expect(files.lookupDownload('sub', 'c1')).toEqual({ kind: 'refused', code: 'file.not_regular' });
    expect(files.reserveUpload('sub', 'c1')).toEqual({ kind: 'exists' });
  });

  it('counts a dangling symlink as existing, so an upload never writes through it', async () => {
    await symlink(join(base, 'would-be-created'), join(files.root, 'dangling'));
    expect(files.reserveUpload('dangling', 'c1')).toEqual({ kind: 'exists' });
  });
});

describe('FolderFiles holds', () => {
  it('lets downloads share a name, keeps uploads alone, and frees all on release', async () => {
    expect(files.lookupDownload('speech.txt', 'reader')).toMatchObject({ kind: 'found' });
    expect(files.lookupDownload('speech.txt', 'reader2')).toMatchObject({ kind: 'found' });
    expect(files.reserveUpload('new.txt', 'writer')).toMatchObject({ kind: 'free' });
    expect(files.reserveUpload('new.txt', 'other')).toEqual({ kind: 'busy' });
    files.release('writer');
    expect(files.reserveUpload('new.txt', 'other')).toMatchObject({ kind: 'free' });
    files.release('reader');
    files.release('reader2');
    files.release('other');
    expect(files.holds.size).toBe(0);
  });

  it('refuses a download of a name being uploaded as busy', async () => {
    expect(files.reserveUpload('raced.txt', 'writer')).toMatchObject({ kind: 'free' });
    await writeFile(join(files.root, 'raced.txt'), 'appeared');
    expect(files.lookupDownload('raced.txt', 'reader')).toEqual({ kind: 'busy' });
  });
});

describe('FolderFiles uploads are atomic', () => {
  it('shows the file only after commit, with no temporary file left', async () => {
    const upload = files.reserveUpload('sub/new.txt', 'c1');
    if (upload.kind !== 'free') throw new Error(upload.kind);
    const incoming = files.receive(upload.ref);
    incoming.stream.write(Buffer.from('hello'));
    expect(await readdir(join(files.root, 'sub'))).toEqual([expect.stringMatching(/^\.new\.txt\..*\.wirestate-part$/)]);
    await incoming.commit();
    expect(await readdir(join(files.root, 'sub'))).toEqual(['new.txt']);
    expect(await readFile(join(files.root, 'sub', 'new.txt'), 'utf8')).toBe('hello');
  });

  it('leaves nothing behind when aborted', async () => {
    const incoming = files.receive(join(files.root, 'gone.txt'));
    incoming.stream.write(Buffer.from('partial'));
    incoming.abort();
    incoming.abort();
    expect((await readdir(files.root)).sort()).toEqual(['speech.txt', 'sub']);
  });

  it('never replaces a file that appeared meanwhile', async () => {
    const ref = join(files.root, 'late.txt');
    const incoming = files.receive(ref);
    await writeFile(ref, 'first');
    incoming.stream.write(Buffer.from('second'));
    await expect(incoming.commit()).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(ref, 'utf8')).toBe('first');
    expect((await readdir(files.root)).sort()).toEqual(['late.txt', 'speech.txt', 'sub']);
  });

  it('compares room against the space available', async () => {
    expect(await files.hasRoomFor(join(files.root, 'x'), 1)).toBe(true);
    expect(await files.hasRoomFor(join(files.root, 'x'), Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

/** Everything a read yields, and how it ended. */
async function drain(file: OutgoingFile): Promise<{ bytes: string; code?: string }> {
  const chunks: Buffer[] = [];
  try {
    for (let buffer = Buffer.alloc(4); ; buffer = Buffer.alloc(4)) {
      const count = await file.read(buffer);
      if (count === 0) return { bytes: Buffer.concat(chunks).toString() };
      chunks.push(buffer.subarray(0, count));
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks).toString(), code: (error as { code?: string }).code };
  } finally {
    file.close();
  }
}

describe('FolderFiles after its root was swapped for a symlink while it serves', () => {
  it('neither announces nor lists a file outside it (helper-161: an lstat of the path alone did)', async () => {
    await mkdir(join(base, 'elsewhere'));
    await writeFile(join(base, 'elsewhere', 'secret'), 'top secret');
    await rename(files.root, join(base, 'root-was'));
    await symlink(join(base, 'elsewhere'), files.root);
    expect(files.lookupDownload('secret', 'c1')).toEqual({ kind: 'refused', code: 'name.escapes' });
    const listed = [];
    for await (const file of files.listFiles()) listed.push(file.name);
    expect(listed).toEqual([]);
  });
});

describe('FolderFiles against a folder swapped for a symlink after the lookup', () => {
  /** `sub` inside the root becomes a symlink to a folder outside, holding a file of the same name and size. */
  const swapSubForOutside = async () => {
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', 'secret.txt'), 'OUTSIDE!!!');
    await rename(join(files.root, 'sub'), join(files.root, 'sub-was'));
    await symlink(join(base, 'outside'), join(files.root, 'sub'));
  };

  it('a download reads no byte from outside the root', async () => {
    await writeFile(join(files.root, 'sub', 'secret.txt'), 'inside....');
    const found = files.lookupDownload('sub/secret.txt', 'c1');
    if (found.kind !== 'found') throw new Error(found.kind);
    await swapSubForOutside();
    expect(await drain(files.read(found.ref, found.size))).toEqual({ bytes: '', code: 'name.escapes' });
  });

  it('a download of a file swapped for a symlink reads nothing through it', async () => {
    const found = files.lookupDownload('speech.txt', 'c1');
    if (found.kind !== 'found') throw new Error(found.kind);
    await writeFile(join(base, 'ten.txt'), 'OUTSIDE!!!');
    await rm(join(files.root, 'speech.txt'));
    await symlink(join(base, 'ten.txt'), join(files.root, 'speech.txt'));
    expect(await drain(files.read(found.ref, found.size))).toEqual({ bytes: '', code: 'ELOOP' });
  });

  it.each([
    ['its folder', 'sub/new.txt', 'ENOTDIR'],
    ['a folder above it', 'sub/deeper/new.txt', 'name.escapes'],
  ])('an upload with %s swapped before it starts creates nothing outside the root', async (_what, name, code) => {
    await mkdir(join(files.root, 'sub', 'deeper'));
    const upload = files.reserveUpload(name, 'c1');
    if (upload.kind !== 'free') throw new Error(upload.kind);
    await swapSubForOutside();
    await mkdir(join(base, 'outside', 'deeper'));
    expect(() => files.receive(upload.ref)).toThrow(expect.objectContaining({ code }));
    expect((await readdir(join(base, 'outside'))).sort()).toEqual(['deeper', 'secret.txt']);
    expect(await readdir(join(base, 'outside', 'deeper'))).toEqual([]);
  });

  it('a download of a file swapped for a FIFO neither blocks nor sends a byte', async () => {
    const found = files.lookupDownload('speech.txt', 'c1');
    if (found.kind !== 'found') throw new Error(found.kind);
    await rm(join(files.root, 'speech.txt'));
    execFileSync('mkfifo', [join(files.root, 'speech.txt')]);
    expect(await drain(files.read(found.ref, found.size))).toEqual({ bytes: '', code: 'file.not_regular' });
  });

  it('an upload swapped while it is written is stored in the folder it started in, nothing outside', async () => {
    const upload = files.reserveUpload('sub/new.txt', 'c1');
    if (upload.kind !== 'free') throw new Error(upload.kind);
    const incoming = files.receive(upload.ref);
    incoming.stream.write(Buffer.from('hello'));
    await swapSubForOutside();
    await incoming.commit();
    expect(await readdir(join(base, 'outside'))).toEqual(['secret.txt']);
    expect(await readFile(join(files.root, 'sub-was', 'new.txt'), 'utf8')).toBe('hello');
  });
});

describe('FolderFiles stores every name the rules accept', () => {
  it.each([
    ['255 ASCII bytes', 'n'.repeat(251) + '.txt'],
    ['255 bytes of two-byte characters and one more', '\u00e9'.repeat(127) + 'x'],
    ['a 255-byte name in a folder', 'sub/' + 'f'.repeat(251)],
  ])('%s: uploaded, listed and downloaded whole', async (_what, name) => {
    const upload = files.reserveUpload(name, 'c1');
    if (upload.kind !== 'free') throw new Error(upload.kind);
    const incoming = files.receive(upload.ref);
    incoming.stream.write(Buffer.from('long named'));
    await incoming.commit();
    files.release('c1');
    const found = files.lookupDownload(name, 'c2');
    if (found.kind !== 'found') throw new Error(found.kind);
    expect(await drain(files.read(found.ref, found.size))).toEqual({ bytes: 'long named' });
  });
});
