/**
 * A name that ends in `/` (or `/.`) names a folder: the server's name rule refuses it, as the original server
 * fails it, rather than store an upload `sub/` as the file `sub` or serve the file `sub` for a download of
 * `sub/`. A real server process and client processes, real files.
 */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let root: string;
let local: string;
let server: ServerProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-folder-names-root-'));
  local = await mkdtemp(join(tmpdir(), 'wirestate-folder-names-local-'));
  await writeFile(join(root, 'served'), 'served bytes\n');
  await writeFile(join(local, 'up.txt'), 'uploaded bytes\n');
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const client = (...args: string[]) => wirestate(['client', '-s', `127.0.0.1:${server.port}`, ...args]);

it.each(['sub/', 'sub/.'])('an upload named %s is refused and nothing is stored', async (name) => {
  const result = await client('-m', 'upload', '-v', name, '-l', join(local, 'up.txt'));
  expect(result.code).toBe(EXIT.serverError);
  expect(await readdir(root)).toEqual(['served']);
});

it('a download of served/ is refused; the file served is not sent for it', async () => {
  const result = await client('-v', 'served/', '-l', join(local, 'got'));
  expect(result.code).toBe(EXIT.serverError);
  expect(await readdir(local)).toEqual(['up.txt']);
  await server.logged(/a name ending in \/, which names a folder/);
});
