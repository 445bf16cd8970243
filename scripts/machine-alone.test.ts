/** The bench's machine-alone floor runs the real machines to a successful end, or says why not (machine-alone.ts). */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', 'dist', 'scripts', 'machine-alone.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

let root: string;
beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'machine-alone-'))));
afterEach(() => rm(root, { recursive: true, force: true }));

test('prints the CPU milliseconds per small download and per queue message', async () => {
  await writeFile(join(root, 'small.bin'), Buffer.alloc(1024, 7));
  for (const args of [
    ['download', root, '20'],
    ['queue', '20'],
  ]) {
    const { code, stdout } = await run(args);
    expect(code).toBe(0);
    expect(Number(stdout)).toBeGreaterThan(0);
  }
});

test('a download the machine does not complete (no such file, a file of another size) fails the run, saying how it ended', async () => {
  expect(await run(['download', root, '5'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/refused/) });
  await writeFile(join(root, 'small.bin'), Buffer.alloc(10));
  expect(await run(['download', root, '5'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/written 19 B/) });
});

test('wrong arguments are refused with the usage', async () => {
  for (const args of [[], ['download', root], ['queue', 'x'], ['upload', '5']])
    expect(await run(args)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^usage: machine-alone/) });
});
