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
import { expectSettingRefused, expectStartError } from '../test-support/start-error';
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

const CLIENT = ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt'];
const QUEUE_SERVER = ['queue', 'server', '0', 'TCP', ...LOOPBACK];

/**
 * /proc takes no new folders nor files: a path under it, or a file in it, is one line, exit 7, before listening or
 * connecting. Each of the three checks (served-folder, record-folder, queue-store) once for folders, the two that
 * make a file once for files; --record on a client (stderr) and on a server (stdout). The other commands take
 * --record through the same withRecordOption (their wiring: `--record -` below, start-errors.e2e.test.ts).
 */
it.each([
  ['server --root /proc/nope', ['server', '-l', '0', ...LOOPBACK, '--root', '/proc/nope'], 'cannot serve', 'folders'],
  ['client --record /proc/nope', [...CLIENT, '--record', '/proc/nope'], 'cannot record into', 'folders'],
  [
    'queue server --store /proc/nope/q.lmdb',
    [...QUEUE_SERVER, '--store', '/proc/nope/q.lmdb'],
    'cannot keep the queue in',
    'folders',
  ],
  ['server --record /proc', ['server', '-l', '0', ...LOOPBACK, '--record', '/proc'], 'cannot record into', 'files'],
  [
    'queue server --store /proc/q.lmdb',
    [...QUEUE_SERVER, '--store', '/proc/q.lmdb'],
    'cannot keep the queue in',
    'files',
  ],
])('%s: /proc takes no new folders or files: one line, exit 7', async (_case, args, start, what) => {
  const [flag, path] = args.slice(-2);
  const result = await wirestateWithin(args);
  expectSettingRefused(
    result,
    args,
    EXIT.localFile,
    new RegExp(`^${start} ${flag} ${path}: /proc takes no new ${what}$`),
  );
  if (args.includes('client')) expect(result.stdout).toBe('');
});

/** Each flag's check starts with the same refuseEmptyPath; --record on a client (a server's is the same check). */
it.each([
  ['--store', [...QUEUE_SERVER, '--store', '']],
  ['--root', ['server', '-l', '0', ...LOOPBACK, '--root', '']],
  ['--record', [...CLIENT, '--record', '']],
])('an empty %s is refused before anything runs: exit 2', async (flag, args) => {
  const result = await wirestateWithin(args, base);
  expectOneLine(
    result,
    EXIT.usage,
    new RegExp(`^wirestate: ${flag} is empty: give a path, or leave ${flag} out; see --help$`, 'm'),
  );
  expect(result.stdout).toBe('');
});

// Blank is the other word of the same refuseEmptyPath the empty cases above show every flag's check calls.
it('a blank --root (spaces) is refused like an empty one, and no folder " " is made: exit 2', async () => {
  const result = await wirestateWithin(['server', '-l', '0', ...LOOPBACK, '--root', ' '], base);
  expectOneLine(result, EXIT.usage, /^wirestate: --root is blank: give a path, or leave --root out; see --help$/m);
  expect(await readdir(base)).toEqual([]);
});

/** A client, and the two server-side commands whose --record no other case here reaches. */
it.each([
  ['client', ['client', '-s', '127.0.0.1:9', '-v', 'speech.txt', '--record', '-']],
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

/** The flags that name a path of the command's own, each with a command that takes it and its error's start. */
const PATH_FLAGS = {
  root: ['--root', ['server', '-l', '0', ...LOOPBACK, '--root'], 'cannot serve --root'],
  record: ['--record', [...CLIENT, '--record'], 'cannot record into --record'],
  store: ['--store', [...QUEUE_SERVER, '--store'], 'cannot keep the queue in --store'],
} satisfies Record<string, [string, string[], string]>;

// The link's words come from makeFolders and folderWords, which all three checks share (the /proc cases above show
// each passes their words on): a dangling link under --store and --record (--root's own below), a loop under --root.
it.each([PATH_FLAGS.store, PATH_FLAGS.record])(
  '%s under a dangling symlink names the link and where it leads: exit 7',
  async (_flag, args, start) => {
    await symlink('gone', join(base, 'dang'));
    const result = await wirestateWithin([...args, join('dang', 'files')], base);
    expectSettingRefused(
      result,
      args,
      EXIT.localFile,
      new RegExp(`^${start} dang/files: dang is a link to gone, which does not exist$`),
    );
    expect(existsSync(join(base, 'gone'))).toBe(false);
  },
);

it.each([PATH_FLAGS.root])(
  '%s under a link to itself names the link, not ELOOP: exit 7',
  async (_flag, args, start) => {
    await symlink('loop', join(base, 'loop'));
    const result = await wirestateWithin([...args, join('loop', 'x')], base);
    expectSettingRefused(
      result,
      args,
      EXIT.localFile,
      new RegExp(`^${start} loop/x: loop is a link that leads back to itself$`),
    );
  },
);

it('a --root that is itself a dangling symlink: "it is a link to ..."', async () => {
  await symlink('gone', join(base, 'dang'));
  const result = await wirestateWithin(['server', '-l', '0', ...LOOPBACK, '--root', 'dang'], base);
  expectStartError(result, EXIT.localFile, /^cannot serve --root dang: it is a link to gone, which does not exist$/);
});
