/**
 * A disk that fails on cue under a real server process: failing-disk.c, compiled here with the system's `cc` and
 * loaded with LD_PRELOAD, fails the writes and syncs of one file with EIO once `fail` is called, as a disk going
 * bad does (no kernel block device to break is needed, nor root).
 */
import { execFile } from 'node:child_process';
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

export interface FailingDisk {
  /** The command prefix that runs a process with the failure loaded (for startCliServer's wrapper). */
  wrapper: string[];
  /** From now on, every write and sync of the file fails with EIO (`syncs`: only its syncs, the writes go through). */
  fail(what: 'writes and syncs' | 'syncs'): void;
  /** Writes and syncs go through again. */
  heal(): void;
}

/** Builds the shim into `folder` (a test's temporary folder) for `file`, a path in an existing folder. */
export async function failingDisk(folder: string, file: string): Promise<FailingDisk> {
  const library = join(folder, 'failing-disk.so');
  await promisify(execFile)('cc', ['-shared', '-fPIC', '-o', library, join(__dirname, 'failing-disk.c'), '-ldl']);
  const writesFail = join(folder, 'writes-fail');
  const syncsFail = join(folder, 'syncs-fail');
  return {
    wrapper: [
      'env',
      `LD_PRELOAD=${library}`,
      `WIRESTATE_FAILING_FILE=${join(realpathSync(dirname(file)), basename(file))}`,
      `WIRESTATE_WRITES_FAIL_WHEN=${writesFail}`,
      `WIRESTATE_SYNCS_FAIL_WHEN=${syncsFail}`,
    ],
    fail: (what) => {
      writeFileSync(syncsFail, '');
      if (what === 'writes and syncs') writeFileSync(writesFail, '');
    },
    heal: () => [writesFail, syncsFail].forEach((cue) => rmSync(cue, { force: true })),
  };
}
