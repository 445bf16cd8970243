/**
 * `queue server --store PATH`: a path lmdb cannot use is one line and exit 7 before anything listens (before:
 * a stack trace, or for a text file a segmentation fault inside lmdb); a store, an empty file or a new path opens.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbKeeper } from '../../machines/queue/lmdb-keeper';
import { EXIT } from '../engine/exit-codes';
import { expectStartError } from '../test-support/start-error';
import { startCliServer, wirestate } from '../test-support/processes';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-store-'));
  await writeFile(join(base, 'notes.txt'), 'not a queue\n');
  await writeFile(join(base, 'notes'), 'not a queue either\n');
});
afterEach(() => rm(base, { recursive: true, force: true }));

const queueServer = (store: string) => ['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--store', store];

it.each([
  ['under a file (no extension: a folder)', 'notes.txt/q', /: \S+notes\.txt is a file, not a folder\n$/],
  ['under a file (a store file)', 'notes.txt/q.lmdb', /: \S+notes\.txt is a file, not a folder\n$/],
  ['a text file', 'notes.txt', /: it is not an lmdb store; name a new file/],
  ['a file named with no extension', 'notes', /: it is a file; a --store name with no extension is a folder/],
  ['a folder named like a file', 'folder.lmdb', /: it is a folder; a --store name with an extension is the database/],
])('--store %s: exit 7, one line, the file untouched', async (_case, name, error) => {
  await mkdir(join(base, 'folder.lmdb'));
  const result = await wirestate(queueServer(join(base, name)));
  expectStartError(
    result,
    EXIT.localFile,
    new RegExp(`^cannot keep the queue in --store \\S+${name.replace('.', '\\.')}`),
  );
  expect(result.stdout).toMatch(error);
  expect(await readFile(join(base, 'notes.txt'), 'utf8')).toBe('not a queue\n');
  expect(existsSync(join(base, `${name}-lock`))).toBe(false);
});

it('--store naming a store an earlier run made opens it with its messages', async () => {
  const path = join(base, 'queue.lmdb');
  const keeper = LmdbKeeper.open(path);
  await keeper.put({ seq: 1, length: 5 }, Buffer.from('hello'));
  await keeper.close();
  const server = await startCliServer(queueServer(path));
  expect(server.output()).toMatch(/store \S+queue\.lmdb: 1 message\(s\) waiting/);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
});

// 4096: the second meta page cut off (the first alone says how far); 8192: both there, the data cut (a file cut
// further, inside the data, is the same comparison).
it.each([4096, 8192])(
  '--store naming a store cut short to %i bytes: exit 7, one line, not a crash inside lmdb (SIGBUS, SIGSEGV)',
  async (size) => {
    const path = join(base, 'queue.lmdb');
    const keeper = LmdbKeeper.open(path);
    for (let seq = 1; seq <= 3; seq++) await keeper.put({ seq, length: 5 }, Buffer.from('hello'));
    await keeper.close();
    await truncate(path, size);
    const result = await wirestate(queueServer(path));
    expectStartError(result, EXIT.localFile, /^cannot keep the queue in --store \S+queue\.lmdb: it is cut short/);
    expect(result.stdout).toMatch(
      new RegExp(`cut short \\(${size} bytes, where its last commit reaches \\d+\\), which lmdb would crash on`),
    );
  },
);

it.each([
  ['an empty file', 'empty.lmdb'],
  ['a new file in new folders', join('new', 'folders', 'queue.lmdb')],
  ['a new folder', join('new', 'store')],
])('--store naming %s makes the store there', async (_case, name) => {
  await writeFile(join(base, 'empty.lmdb'), '');
  const server = await startCliServer(queueServer(join(base, name)));
  expect(server.output()).toMatch(/: 0 message\(s\) waiting/);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(existsSync(join(base, name.endsWith('.lmdb') ? name : join(name, 'data.mdb')))).toBe(true);
});
