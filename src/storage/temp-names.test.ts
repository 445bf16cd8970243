import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_SUFFIX } from './name-rules';
import { SWEEP_MAX_DEPTH, removeStaleTempFiles, tempNameFor } from './temp-names';

let base: string;
let root: string;
let outside: string;
/** A temporary name as a writer that is no longer running would have left it. */
let staleNameFor: (name: string) => string;

beforeAll(async () => {
  const gone = spawn('true');
  await once(gone, 'exit');
  staleNameFor = (name) => tempNameFor(name).replace(`.${process.pid}-`, `.${String(gone.pid)}-`);
});
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-sweep-'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('temporary names', () => {
  it('never repeat for one name, across many batches of random bytes, each with 12 hex digits of them', () => {
    const names = Array.from({ length: 3000 }, () => tempNameFor('same.bin'));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names)
      expect(name).toMatch(new RegExp(`^\\.same\\.bin\\.${process.pid}-[0-9a-f]{12}\\.wirestate-part$`));
  });

  it.each([
    ['255 ASCII bytes', 'n'.repeat(255)],
    ['255 bytes of two-byte characters and one more', '\u00e9'.repeat(127) + 'x'],
  ])('fit one folder entry and keep the start of the name: %s', (_what, name) => {
    const temp = tempNameFor(name);
    expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255);
    expect(temp).toMatch(
      new RegExp(`^\\.${name.slice(0, 90)}.*~[0-9a-f]{16}\\.${process.pid}-[0-9a-f]{12}\\.wirestate-part$`),
    );
    expect(temp).not.toContain('\ufffd');
  });
});

describe('the start-up sweep', () => {
  it('removes stale files in the root and below it, never through a symlink, never outside', async () => {
    const stale = staleNameFor('x');
    await writeFile(join(outside, stale), 'outside the root');
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, stale), 'left');
    await writeFile(join(root, 'sub', stale), 'left');
    await symlink(outside, join(root, 'out'));
    await symlink('.', join(root, 'a'));
    await symlink('.', join(root, 'b'));
    expect((await removeStaleTempFiles(root, { recursive: true })).sort()).toEqual([
      join(root, stale),
      join(root, 'sub', stale),
    ]);
    expect(await readdir(outside)).toEqual([stale]);
  });

  it(`descends ${SWEEP_MAX_DEPTH} folders below the root and no further`, async () => {
    const stale = staleNameFor('deep');
    let folder = root;
    for (let depth = 1; depth <= SWEEP_MAX_DEPTH + 1; depth++) {
      folder = join(folder, 'd');
      await mkdir(folder);
      await writeFile(join(folder, stale), `depth ${depth}`);
    }
    const removed = await removeStaleTempFiles(root, { recursive: true });
    expect(removed).toHaveLength(SWEEP_MAX_DEPTH);
    expect(await readdir(folder)).toEqual([stale]);
  });

  it('finds the stale files of a 255-byte name, with or without the name asked for', async () => {
    const name = 'n'.repeat(255);
    await writeFile(join(root, staleNameFor(name)), 'left');
    await writeFile(join(root, staleNameFor('other')), 'left');
    expect(await removeStaleTempFiles(root, { recursive: false, forNames: [name] })).toHaveLength(1);
    await writeFile(join(root, staleNameFor(name)), 'left');
    expect(await removeStaleTempFiles(root, { recursive: false })).toHaveLength(2);
    expect(await readdir(root)).toEqual([]);
  });

  it('removes a file named with its own PID (a restarted container server is PID 1 again) and keeps one of another live process', async () => {
    const ours = tempNameFor('mine');
    const live = tempNameFor('theirs').replace(`.${process.pid}-`, `.${process.ppid}-`);
    await writeFile(join(root, ours), 'left by a predecessor with our PID');
    await writeFile(join(root, live), 'still being written');
    expect(await removeStaleTempFiles(root, { recursive: false })).toEqual([join(root, ours)]);
    expect(await readdir(root)).toEqual([live]);
  });

  it('removes a file of a killed writer its parent has not reaped yet (a zombie holds its PID, writes nothing)', async () => {
    // `sleep 30` becomes the parent of the short sleep and never waits for it: the short one stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [printed] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number(printed.toString().trim());
      await new Promise((resolve) => setTimeout(resolve, 300));
      const left = tempNameFor('killed').replace(`.${process.pid}-`, `.${String(zombie)}-`);
      await writeFile(join(root, left), 'a part its killed writer left');
      expect(await removeStaleTempFiles(root, { recursive: false })).toEqual([join(root, left)]);
    } finally {
      parent.kill();
    }
  });

  it("removes a download lock a gone writer left staged, which is not named as a part (a part's watcher would count it)", async () => {
    const staged = tempNameFor('got.bin', LOCK_SUFFIX).replace(`.${process.pid}-`, '.999999999-');
    expect(staged).toMatch(/^\.got\.bin\.999999999-[0-9a-f]{12}\.wirestate-lock$/);
    await writeFile(join(root, staged), '999999999\n');
    await writeFile(join(root, '.got.bin.wirestate-lock'), 'the lock itself, swept by no one');
    expect(await removeStaleTempFiles(root, { recursive: false })).toEqual([join(root, staged)]);
    expect(await readdir(root)).toEqual(['.got.bin.wirestate-lock']);
  });
});

describe('a sweep for the files of one run', () => {
  it('removes the stale files of every name asked for, in one pass, and keeps those of other names', async () => {
    const names = ['a.bin', 'b.bin', 'c d.bin'];
    const [a, b, c, other] = [...names, 'other.bin'].map(staleNameFor);
    for (const stale of [a, b, c, other]) await writeFile(join(root, stale), 'left');
    const removed = await removeStaleTempFiles(root, { recursive: false, forNames: names });
    expect(removed.sort()).toEqual([a, b, c].map((stale) => join(root, stale)).sort());
    expect(await readdir(root)).toEqual([other]);
  });
});
