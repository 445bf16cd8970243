/** A bench stopped by Ctrl-C or SIGTERM kills its servers and removes its folders (bench-interrupt.ts). */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BENCH = join(__dirname, '..', 'dist', 'scripts', 'bench.js');

/** Processes whose command line mentions `text`. */
async function processesMentioning(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    if (command.includes(text)) found.push(Number(entry));
  }
  return found;
}

const waitFor = async (check: () => Promise<boolean>, ms: number) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50)))
    if (await check()) return true;
  return false;
};

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'bench-interrupt-'))));
afterEach(async () => {
  // Only if the bench failed to: its servers name this test's own folder.
  for (const pid of await processesMentioning(dir)) process.kill(pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)(
  '%s while servers run: they are killed, the folders removed, and the bench exits %i',
  async (signal, code) => {
    // Its temp folder is ours too, so that the servers' output folders (server-output.ts) are counted there alone.
    const temp = join(dir, 'temp');
    await mkdir(temp);
    const bench = spawn(
      process.execPath,
      [BENCH, '--only', 'small', '--requests', '100000', '--warm', '0', '--idle', '5', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: temp } },
    );
    const exited = new Promise<number | null>((resolve) => bench.once('exit', (status) => resolve(status)));
    let said = '';
    bench.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    // Both servers serve a folder under `dir`: they are up once two processes name it.
    expect(await waitFor(async () => (await processesMentioning(dir)).length >= 2, 20_000)).toBe(true);
    bench.kill(signal);
    expect(await exited).toBe(code);
    expect(said).toContain(`bench stopped by ${signal}`);
    expect(await waitFor(async () => (await processesMentioning(dir)).length === 0, 5_000)).toBe(true);
    expect(await readdir(dir)).toEqual(['temp']);
    expect(await readdir(temp)).toEqual([]);
  },
  40_000,
);
