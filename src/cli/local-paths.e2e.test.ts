/**
 * Paths a user names for the commands' own files (`--root`, `--record`, `--store`), as the user meets them:
 * one line and an exit code, in bounded time. Before: a path under /proc hung the command at full CPU inside
 * Node's recursive mkdir, `--store /proc/q.lmdb` printed lmdb's own text, an empty `--store` quietly ran in
 * memory, and a dangling symlink was "a part of the path is a file".
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { expectOneLine } from '../test-support/one-line';
import { CLI, run } from '../test-support/processes';

/** A hang is the failure these tests look for: the command is killed well before jest's own time-out. */
const wirestateWithin = (args: string[], cwd?: string) =>
  run(process.execPath, [CLI, ...args], { cwd, timeoutMs: 15_000 });

const LOOPBACK = ['--host', '127.0.0.1'];

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-paths-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

it.each([
  ['server --root', ['server', '-l', '0', ...LOOPBACK, '--root', '/proc/nope'], 'cannot serve --root /proc/nope'],
  [
    'share server --root',
    ['share', 'server', '0', ...LOOPBACK, '--root', '/proc/nope'],
    'cannot serve --root /proc/nope',
  ],
  [
    'client --record',
    ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record', '/proc/nope'],
    'cannot record into --record /proc/nope',
  ],
  [
    'queue server --store',
    ['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store', '/proc/nope/q.lmdb'],
    'cannot keep the queue in --store /proc/nope/q.lmdb',
  ],
])('%s under /proc, which takes no folders: one line, exit 7', async (_case, args, start) => {
  const result = await wirestateWithin(args);
  expectOneLine(
    result,
    EXIT.localFile,
    new RegExp(`^wirestate: ${start}: /proc takes no new folders; see --help$`, 'm'),
  );
  expect(result.stdout).toBe('');
});

it.each([
  ['client', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt']],
  ['server', ['server', '-l', '0', ...LOOPBACK]],
  ['upper client', ['upper', 'client', '--port', '9', 'hi']],
  ['proxy', ['proxy', '-l', '0', ...LOOPBACK]],
])(
  '%s --record /proc, a folder that takes no files: one line, exit 7, before listening or connecting',
  async (_case, args) => {
    const result = await wirestateWithin([...args, '--record', '/proc']);
    expectOneLine(
      result,
      EXIT.localFile,
      /^wirestate: cannot record into --record \/proc: \/proc takes no new files; see --help$/m,
    );
    expect(result.stdout).toBe('');
  },
);

it('queue server --store /proc/q.lmdb: the file cannot be made there, said in words, exit 7', async () => {
  const result = await wirestateWithin(['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store', '/proc/q.lmdb']);
  expectOneLine(
    result,
    EXIT.localFile,
    /^wirestate: cannot keep the queue in --store \/proc\/q\.lmdb: \/proc takes no new files; see --help$/m,
  );
  expect(result.stdout).toBe('');
});

it.each([
  ['--store', ['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store', '']],
  ['--root', ['server', '-l', '0', ...LOOPBACK, '--root', '']],
  ['--record', ['server', '-l', '0', ...LOOPBACK, '--record', '']],
  ['--record', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record', '']],
])('an empty %s is refused before anything runs: exit 2', async (flag, args) => {
  const result = await wirestateWithin(args, base);
  expectOneLine(
    result,
    EXIT.usage,
    new RegExp(`^wirestate: ${flag} is empty: give a path, or leave ${flag} out; see --help$`, 'm'),
  );
  expect(result.stdout).toBe('');
});

it.each([
  ['--root', ['server', '-l', '0', ...LOOPBACK, '--root', ' ']],
  ['--store', ['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store', '  ']],
  ['--record', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record', ' ']],
])('a blank %s (spaces) is refused like an empty one, and no folder " " is made: exit 2', async (flag, args) => {
  const result = await wirestateWithin(args, base);
  expectOneLine(
    result,
    EXIT.usage,
    new RegExp(`^wirestate: ${flag} is blank: give a path, or leave ${flag} out; see --help$`, 'm'),
  );
  expect(await readdir(base)).toEqual([]);
});

it.each([
  ['client', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record', '-']],
  ['server', ['server', '-l', '0', ...LOOPBACK, '--record', '-']],
  ['serve-all', ['serve-all', '--only', 'upper', ...LOOPBACK, '--record', '-']],
  ['proxy', ['proxy', '-l', '0', ...LOOPBACK, '--record', '-']],
])('%s --record -: refused in one line (it takes a folder), no folder "-" made: exit 2', async (_command, args) => {
  const result = await wirestateWithin(args, base);
  expectOneLine(
    result,
    EXIT.usage,
    /^wirestate: --record takes a folder, not - \(one trace file per connection\); see --help$/m,
  );
  expect(await readdir(base)).toEqual([]);
});

it.each([
  ['--root', ['server', '-l', '0', ...LOOPBACK, '--root'], 'cannot serve --root'],
  ['--record', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record'], 'cannot record into --record'],
  ['--store', ['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store'], 'cannot keep the queue in --store'],
])('%s under a dangling symlink names the link and where it leads: exit 7', async (_flag, args, start) => {
  await symlink('gone', join(base, 'dang'));
  const result = await wirestateWithin([...args, join('dang', 'files')], base);
  expectOneLine(
    result,
    EXIT.localFile,
    new RegExp(`^wirestate: ${start} dang/files: dang is a link to gone, which does not exist; see --help$`, 'm'),
  );
  expect(existsSync(join(base, 'gone'))).toBe(false);
});

it.each([
  ['--root', ['server', '-l', '0', ...LOOPBACK, '--root'], 'cannot serve --root'],
  ['--record', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record'], 'cannot record into --record'],
  ['--store', ['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store'], 'cannot keep the queue in --store'],
])('%s under a link to itself names the link, not ELOOP: exit 7', async (_flag, args, start) => {
  await symlink('loop', join(base, 'loop'));
  const result = await wirestateWithin([...args, join('loop', 'x')], base);
  expectOneLine(
    result,
    EXIT.localFile,
    new RegExp(`^wirestate: ${start} loop/x: loop is a link that leads back to itself; see --help$`, 'm'),
  );
});

it('a --root that is itself a dangling symlink: "it is a link to ..."', async () => {
  await symlink('gone', join(base, 'dang'));
  const result = await wirestateWithin(['server', '-l', '0', ...LOOPBACK, '--root', 'dang'], base);
  expectOneLine(
    result,
    EXIT.localFile,
    /^wirestate: cannot serve --root dang: it is a link to gone, which does not exist; /,
  );
});
