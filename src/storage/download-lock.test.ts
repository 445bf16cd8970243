import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../test-support/processes';

let folder: string;
beforeEach(async () => (folder = await mkdtemp(join(tmpdir(), 'wirestate-lock-exit-'))));
afterEach(() => rm(folder, { recursive: true, force: true }));

/** A node process (the built dist/) that takes the lock on FOLDER/got.bin, then runs `then` (given `lock`). */
function lockThen(then: string) {
  const lockModule = JSON.stringify(join(REPO, 'dist', 'src', 'storage', 'download-lock.js'));
  const script = `const lock = require(${lockModule}).lockDownload(${JSON.stringify(join(folder, 'got.bin'))}); ${then}`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
}

describe('download lock (built: dist/)', () => {
  it('leaves no lock file behind when the process exits holding it (a signal handler exits before any release)', async () => {
    const run = lockThen("if (!lock.release) throw new Error('not taken'); process.exit(130);");
    expect(run.stderr).toBe('');
    expect(run.status).toBe(130);
    expect(await readdir(folder)).toEqual([]);
  });

  it('leaves no lock file behind when it is released and the process ends as usual', async () => {
    const run = lockThen('lock.release();');
    expect(run.status).toBe(0);
    expect(await readdir(folder)).toEqual([]);
  });

  it("does not remove a live process's lock when its own taking of the lock failed", async () => {
    // This process (the test) holds the lock: the child finds it held by a live process, and exits.
    const { lockDownload } = await import('./download-lock');
    const held = lockDownload(join(folder, 'got.bin'));
    try {
      const run = lockThen("if (!lock.heldBy) throw new Error('taken twice'); process.exit(130);");
      expect(run.stderr).toBe('');
      expect(await readdir(folder)).toEqual(['.got.bin.wirestate-lock']);
    } finally {
      if ('release' in held) held.release();
    }
  });

  it('two downloads into long names that begin alike take locks of their own', async () => {
    const { lockDownload } = await import('./download-lock');
    const [first, second] = ['A', 'B'].map((last) =>
      lockDownload(join(folder, `${'w'.repeat(220)}${last.repeat(10)}`)),
    );
    try {
      // Before, both cut to the same first 215 bytes: the second found the first's lock and was refused.
      expect([first, second].map((lock) => 'release' in lock)).toEqual([true, true]);
      expect(await readdir(folder)).toHaveLength(2);
    } finally {
      for (const lock of [first, second]) if ('release' in lock) lock.release();
    }
  });
});
