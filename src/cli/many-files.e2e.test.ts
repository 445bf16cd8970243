/**
 * One `wirestate client` run moving many files: `-v`/`-l` pairs and `--list-file`, against a real server on
 * loopback. Every file that can arrive does, byte for byte; one that cannot leaves nothing behind, gets its
 * own line, and the run exits with the worst file's code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { keptDownloadTag } from '../storage/kept-download';
import { resumeNameFor } from '../storage/resume-names';
import { CLI, startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

const COUNT = 50;
const names = Array.from({ length: COUNT }, (_, index) => `f${index}.bin`);

let base: string;
let served: string;
let server: ServerProcess;
let at: string;
const contents = new Map<string, Buffer>();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-many-'));
  served = join(base, 'served');
  await mkdir(served);
  for (const name of names) {
    contents.set(name, randomBytes(4096));
    await writeFile(join(served, name), contents.get(name)!);
  }
  server = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', served]);
  at = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

let out: string;
beforeEach(async () => {
  out = join(base, `out-${Math.random().toString(36).slice(2)}`);
  await mkdir(out);
});

const pairs = (list: string[], local: (name: string) => string) =>
  list.flatMap((name) => ['-v', name, '-l', local(name)]);

async function expectArrived(folder: string, list: string[]): Promise<void> {
  expect((await readdir(folder)).sort()).toEqual([...list].sort());
  for (const name of list) expect((await readFile(join(folder, name))).equals(contents.get(name)!)).toBe(true);
}

it(`downloads ${COUNT} files named by -v/-l pairs in one run`, async () => {
  const result = await wirestate(['client', '-s', at, ...pairs(names, (name) => join(out, name))]);
  expect(result.code).toBe(EXIT.ok);
  await expectArrived(out, names);
  expect(result.stderr).toContain(`${COUNT} of ${COUNT} files done`);
  expect(result.stderr.split('\n').filter((line) => line.startsWith('downloaded '))).toHaveLength(COUNT);
});

it(`uploads ${COUNT} files named by a --list-file, in each of its line forms`, async () => {
  const uploads = join(base, 'uploads');
  await mkdir(uploads);
  const lines = await Promise.all(
    names.map(async (name, index) => {
      await writeFile(join(uploads, `u-${name}`), contents.get(name)!);
      const forms = [`up ${name}\tu-${name}`, `up-${name} u-${name}`, `u-${name}`];
      return forms[index % 3];
    }),
  );
  await writeFile(join(uploads, 'list.txt'), `# REMOTE LOCAL\r\n${lines.join('\r\n')}\r\n\r\n`);
  const result = await wirestate(
    ['client', '-q', '-m', 'upload', '-s', at, '--list-file', 'list.txt', '--parallel', '16'],
    uploads,
  );
  expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
  for (const [index, name] of names.entries()) {
    const stored = [`up ${name}`, `up-${name}`, `u-${name}`][index % 3];
    expect((await readFile(join(served, stored))).equals(contents.get(name)!)).toBe(true);
  }
});

it('a missing remote file fails alone: the others arrive, it leaves nothing, the run exits 3', async () => {
  const list = [...names.slice(0, 20), 'missing.bin', ...names.slice(20)];
  await writeFile(join(base, 'missing-list.txt'), list.map((name) => `${name}\t${join(out, name)}`).join('\n'));
  const result = await wirestate(['client', '-s', at, '--list-file', join(base, 'missing-list.txt')]);
  expect(result.code).toBe(EXIT.refused);
  await expectArrived(out, names);
  const failures = result.stderr.split('\n').filter((line) => line.startsWith('wirestate client: '));
  expect(failures).toEqual([
    `wirestate client: missing.bin -> ${join(out, 'missing.bin')}: refused by the server: no such file on the server, or it is busy`,
  ]);
  expect(result.stderr).toContain(`${COUNT} of ${COUNT + 1} files done`);
});

it('gives no rate when no file was done', async () => {
  const result = await wirestate(['client', '-s', at, '-v', 'gone-1', '-l', 'g1', '-v', 'gone-2', '-l', 'g2'], out);
  expect(result.code).toBe(EXIT.refused);
  expect(result.stderr).toMatch(/^0 of 2 files done in \d+\.\d\d s; 2 failed, exit 3$/m);
});

it('exits with the worst code of the run and gives one --json object per file', async () => {
  const files = [
    ...pairs(names.slice(0, 3), (name) => join(out, name)),
    ...pairs(['missing.bin'], (name) => join(out, name)),
    ...pairs([names[3]], (name) => join(out, 'no-such-folder', name)),
  ];
  const result = await wirestate(['client', '--json', '-s', at, ...files]);
  expect(result.code).toBe(EXIT.localFile);
  const objects = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; outcome: string; exit_code: number; bytes: number });
  expect(objects.map(({ name, outcome, exit_code }) => [name, outcome, exit_code]).sort()).toEqual(
    [
      [names[0], 'downloaded', EXIT.ok],
      [names[1], 'downloaded', EXIT.ok],
      [names[2], 'downloaded', EXIT.ok],
      [names[3], 'not_started', EXIT.localFile],
      ['missing.bin', 'refused', EXIT.refused],
    ].sort(),
  );
  await expectArrived(out, names.slice(0, 3));
});

it('in one run, a local name that is a folder or a link to one fails alone, and a kept part of another file is continued', async () => {
  await mkdir(join(out, names[1]));
  await mkdir(join(out, 'real'));
  await symlink('real', join(out, names[2]));
  // What an interrupted download of names[3] kept: its first half, named by the served file's size and mtime.
  const { mtimeMs } = await stat(join(served, names[3]));
  const tag = keptDownloadTag(`4096-${Math.floor(mtimeMs)}`, names[3]);
  await writeFile(join(out, resumeNameFor(names[3], tag)), contents.get(names[3])!.subarray(0, 2048));
  const list = names.slice(0, 10);
  const result = await wirestate(['client', '-s', at, ...pairs(list, (name) => join(out, name))]);
  expect(result.code).toBe(EXIT.localFile);
  const failures = result.stderr.split('\n').filter((line) => line.startsWith('wirestate client: '));
  expect(failures.sort()).toEqual(
    [1, 2].map(
      (index) =>
        `wirestate client: ${names[index]} -> ${join(out, names[index])}: ${join(out, names[index])} is a folder: ` +
        `name a file to download into, as ${join(out, names[index], names[index])}`,
    ),
  );
  // Nothing else is left in the folder: no kept part, no temporary file.
  expect((await readdir(out)).sort()).toEqual([...list, 'real'].sort());
  for (const name of list.filter((name) => name !== names[1] && name !== names[2]))
    expect((await readFile(join(out, name))).equals(contents.get(name)!)).toBe(true);
  // The server sent only the half that was not kept; it logs that as the connection closes, maybe after the client exits.
  const connection = [...server.output().matchAll(/\[(c\d+)\] download "f3\.bin"/g)].at(-1)![1];
  await server.logged(new RegExp(`\\[${connection}\\] downloaded: `));
  expect(server.output()).toContain(`[${connection}] downloaded: 2.00 KiB in`);
});

it('reads the list from stdin with --list-file -', async () => {
  const child = spawn(process.execPath, [CLI, 'client', '-q', '-s', at, '--list-file', '-'], {
    cwd: out,
    stdio: ['pipe', 'ignore', 'pipe'],
    timeout: 30_000,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(names.slice(0, 10).join('\n'));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect({ code, stderr }).toEqual({ code: EXIT.ok, stderr: '' });
  await expectArrived(out, names.slice(0, 10));
});

describe('refuses, before any transfer (exit 2)', () => {
  it.each([
    ['-v and -l counts that differ', ['-v', 'a', '-v', 'b', '-l', 'x'], '-v is given 2 times and -l 1:'],
    ['two downloads into one file', ['-v', 'a', '-l', 'x', '-v', 'b', '-l', 'x'], 'two downloads into x'],
    [
      '- with several files',
      ['-v', 'a', '-l', '-', '-v', 'b', '-l', 'y'],
      '- (stdin or stdout) takes one file a run; name a local file for each; see --help\n',
    ],
    [
      '--inspect with several files',
      ['-v', 'a', '-l', 'x', '-v', 'b', '-l', 'y', '--inspect=0'],
      '--inspect watches one',
    ],
    ['--parallel 0', ['-v', 'a', '-l', 'x', '--parallel', '0'], '--parallel must be'],
  ])('%s', async (_, args, words) => {
    const result = await wirestate(['client', '-s', at, ...args], out);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(words);
    expect(await readdir(out)).toEqual([]);
  });
});

it('refuses two downloads into one file reached through a linked folder (exit 2), before any transfer', async () => {
  await mkdir(join(out, 'got'));
  await symlink('got', join(out, 'alias'));
  const result = await wirestate(
    ['client', '-s', at, '-v', names[0], '-l', 'got/y', '-v', names[1], '-l', 'alias/y', '-v', names[2], '-l', 'z'],
    out,
  );
  expect(result).toMatchObject({ code: EXIT.usage, stdout: '' });
  expect(result.stderr).toBe(
    'wirestate: two downloads into alias/y (got/y is the same file): give each its own local file; see --help\n',
  );
  expect((await readdir(out)).sort()).toEqual(['alias', 'got']);
  expect(await readdir(join(out, 'got'))).toEqual([]);
});
