/**
 * A run of several files stopped by Ctrl-C (SIGINT) or SIGTERM accounts for every file: the one that arrived as
 * usual, those in flight as interrupted with what was kept (the resume parts, which the same command then
 * resumes), the one not started as not started, then the summary. Real processes: a wirestate server, and the
 * stammer proxy in front of it so that the big files take long, the client, a real signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT } from '../engine/exit-codes';
import { formatBytes } from '../log/logger';
import { CLI, startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

const BIG = 8 * 1024 * 1024;
const names = ['small.txt', 'big1.bin', 'big2.bin', 'big3.bin'];
const contents = new Map(names.map((name) => [name, randomBytes(name === 'small.txt' ? 100 : BIG)]));

let base: string;
let server: ServerProcess;
let proxy: ChildProcess;
let slowPort: number;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-many-signals-'));
  const served = join(base, 'served');
  await mkdir(served);
  for (const name of names) await writeFile(join(served, name), contents.get(name)!);
  server = await startServerProcess(['--root', served]);
  // Fragments of up to 8 KiB, each up to 5 ms late: a big file takes several seconds even on an idle machine, the
  // small one a moment, and the client's first disk write into each part (a 256 KiB buffer: what the test waits
  // for) comes soon. With 1 KiB fragments that wait alone took 5-6 s of busy proxy and client per signal.
  proxy = spawn(
    process.execPath,
    [CLI, 'proxy', '-l', '0', '--host', '127.0.0.1', '-s', `127.0.0.1:${server.port}`].concat([
      '--max-fragment',
      '8192',
      '--max-delay-ms',
      '5',
    ]),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let said = '';
  for (let tries = 0; tries < 100 && !/ on 127\.0\.0\.1:\d+ /.test(said); tries++)
    said += ((await once(proxy.stdout!, 'data')) as [Buffer])[0].toString();
  slowPort = Number(/ on 127\.0\.0\.1:(\d+) /.exec(said)![1]);
  proxy.stdout!.resume();
});
afterAll(async () => {
  proxy.kill('SIGTERM');
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/** The resume parts in `folder` that hold bytes. */
async function partsWithBytes(folder: string): Promise<string[]> {
  const parts = (await readdir(folder)).filter((name) => name.endsWith('.wirestate-resume'));
  const sizes = await Promise.all(parts.map(async (name) => (await stat(join(folder, name))).size));
  return parts.filter((_, index) => sizes[index] > 0);
}

describe.each([
  ['SIGINT', 'Ctrl-C', 130, []],
  ['SIGTERM', 'SIGTERM', 143, ['--json']],
] as const)('on %s', (signal, words, code, flags) => {
  it('every file is accounted for: arrived, interrupted with its part kept, not started; then the summary', async () => {
    const out = join(base, `out-${signal}`);
    await mkdir(out);
    const args = [CLI, 'client', '-s', `127.0.0.1:${slowPort}`, '--parallel', '2', ...flags];
    const files = names.flatMap((name) => ['-v', name, '-l', name]);
    const child = spawn(process.execPath, [...args, ...files], { cwd: out, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    // small.txt arrives, then big1 and big2 are under way (2 at once): big3 waits.
    for (let tries = 0; tries < 400; tries++) {
      const arrived = (await readdir(out)).includes('small.txt');
      if (arrived && (await partsWithBytes(out)).length === 2) break;
      await sleep(50);
    }
    expect(await partsWithBytes(out)).toHaveLength(2);
    child.kill(signal);
    const [exitCode] = (await exited) as [number | null];
    expect(exitCode).toBe(code);

    const interrupted = (name: string) =>
      new RegExp(
        `^wirestate client: ${name} -> ${name}: download interrupted \\(${words}\\) at [\\d.]+ [KM]?i?B of 8\\.00 MiB: ` +
          'the part is kept, the same command resumes it$',
      );
    const lines = stderr.trimEnd().split('\n');
    if (flags.length === 0) {
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatch(/^downloaded small\.txt -> small\.txt: 100 B in /);
      expect(lines[4]).toMatch(
        new RegExp(
          `^1 of 4 files done in [\\d.]+ s \\(.*\\); 2 interrupted \\(${words}\\), 1 not started, exit ${code}$`,
        ),
      );
    } else {
      expect(lines).toHaveLength(3);
      const results = stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { name: string; outcome: string; exit_code: number; bytes: number });
      expect(results.map(({ name, outcome, exit_code }) => [name, outcome, exit_code])).toEqual([
        ['small.txt', 'downloaded', 0],
        ['big1.bin', 'interrupted', code],
        ['big2.bin', 'interrupted', code],
        ['big3.bin', 'not_started', code],
      ]);
      expect(results[1].bytes).toBeGreaterThan(0);
      // Each part holds the bytes its line counts, the file's first ones: those still in the client's buffers too.
      for (const { name, bytes } of results.slice(1, 3)) {
        const part = (await readdir(out)).find((file) => file.startsWith(`.${name}.`))!;
        expect((await readFile(join(out, part))).equals(contents.get(name)!.subarray(0, bytes))).toBe(true);
      }
    }
    const fileLines = lines.filter((line) => line.startsWith('wirestate client: '));
    expect(fileLines).toEqual([
      expect.stringMatching(interrupted('big1\\.bin')),
      expect.stringMatching(interrupted('big2\\.bin')),
      `wirestate client: big3.bin -> big3.bin: not started (${words})`,
    ]);
    // Each part holds what its line says (in --json, checked to the byte above).
    for (const line of fileLines.slice(0, 2)) {
      const [, name, at] = /: (\S+) -> \S+: download interrupted \(\S+\) at ([\d.]+ [KM]?i?B) /.exec(line)!;
      const part = (await readdir(out)).find((file) => file.startsWith(`.${name}.`))!;
      expect(formatBytes((await stat(join(out, part))).size)).toBe(at);
    }
    // What the lines say is on disk: the file that arrived, the two parts kept, nothing else (no lock).
    const left = (await readdir(out)).sort();
    expect(left).toEqual(['small.txt', ...(await partsWithBytes(out))].sort());
    expect(left).toHaveLength(3);

    // The same command, straight to the server, resumes both and fetches the one not started.
    const again = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, ...files], out);
    expect(again.code).toBe(EXIT.ok);
    for (const name of names) expect((await readFile(join(out, name))).equals(contents.get(name)!)).toBe(true);
    expect((await readdir(out)).sort()).toEqual([...names].sort());
  });
});

it('a signal as the files land says only what is on disk: a part kept is there, a file in place is whole', async () => {
  // Stopped the moment the first file appears, the other has often arrived too, its connection still closing:
  // before, its line said `the part is kept` with no part there (17 of 40 runs). Ten runs, each into a new folder.
  const pair = ['big1.bin', 'big2.bin'];
  for (let round = 0; round < 10; round++) {
    const out = join(base, `landing-${round}`);
    await mkdir(out);
    const files = pair.flatMap((name) => ['-v', name, '-l', name]);
    const args = [CLI, 'client', '-s', `127.0.0.1:${server.port}`, '--parallel', '2', ...files];
    const child = spawn(process.execPath, args, { cwd: out, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    const watcher = watch(out, (_, name) => pair.includes(name ?? '') && child.kill('SIGINT'));
    try {
      await exited;
    } finally {
      watcher.close();
    }
    const left = await readdir(out);
    const kept = await partsWithBytes(out);
    for (const name of pair) {
      // No line of its own: it arrived (`downloaded ...`); else what stopped it, which must be so on disk.
      const line = stderr.split('\n').find((said) => said.startsWith(`wirestate client: ${name} -> `));
      if (line === undefined || line.endsWith('the file was already in place, whole'))
        expect((await readFile(join(out, name))).equals(contents.get(name)!)).toBe(true);
      else {
        expect(left).not.toContain(name);
        if (line.includes('the part is kept')) expect(kept.some((part) => part.startsWith(`.${name}.`))).toBe(true);
      }
    }
  }
});

it('a signal once every file has said its line changes nothing: the run ends with its own summary and exit code', async () => {
  // The signal as the third line appears, while the run syncs its folder and says its summary: before, the summary
  // said `3 of 3 files done ...; 0 interrupted (Ctrl-C), 0 not started, exit 130` and the run exited 130.
  const locals = ['a.txt', 'b.txt', 'c.txt'];
  for (let round = 0; round < 10; round++) {
    const out = join(base, `all-ended-${round}`);
    await mkdir(out);
    const files = locals.flatMap((local) => ['-v', 'small.txt', '-l', local]);
    const args = [CLI, 'client', '-s', `127.0.0.1:${server.port}`, ...files];
    const child = spawn(process.execPath, args, { cwd: out, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.match(/^downloaded small\.txt -> /gm)?.length === locals.length) child.kill('SIGINT');
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal, summary: stderr.trimEnd().split('\n').pop() }).toEqual({
      code: EXIT.ok,
      signal: null,
      summary: expect.stringMatching(/^3 of 3 files done in [\d.]+ s \([\d.]+ files\/s\)$/) as unknown,
    });
    for (const local of locals)
      expect((await readFile(join(out, local))).equals(contents.get('small.txt')!)).toBe(true);
  }
});
