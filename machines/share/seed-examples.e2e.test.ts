/**
 * The seed README's three examples, as written, through the npm scripts:
 * `client.py localhost 365 put apple.jpg`, `get apple.jpg` and `list`, each
 * run from the folder that holds (or receives) apple.jpg, as the seed asks.
 * The port is picked by the OS instead of 365, and the server is bound to
 * loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { REPO, freePort, run, sha256, startServerCommand, type ServerProcess } from '../../src/test-support/processes';

let base: string;
let port: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-share-seed-'));
  for (const folder of ['shared', 'uploader', 'downloader']) await mkdir(join(base, folder));
  await writeFile(join(base, 'uploader', 'apple.jpg'), randomBytes(1024 * 1024));
  port = String(await freePort());
  // The README's `npm run share:server -- 3650 --root shared`.
  server = await startServerCommand(
    ['npm', 'run', 'share:server', '--', port, '--root', join(base, 'shared'), '--host', '127.0.0.1'],
    true,
  );
});
afterAll(async () => {
  process.kill(-server.child.pid!, 'SIGTERM'); // npm, its shell and the server
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/** `npm run share:client -- localhost PORT ...` from `folder`; relative names are taken from there. */
const client = (folder: string, ...args: string[]) =>
  run('npm', ['--prefix', REPO, 'run', 'share:client', '--', 'localhost', port, ...args], { cwd: join(base, folder) });
/** The client's own lines on stdout, without npm's banner. */
const printed = (stdout: string) => stdout.split('\n').filter((line) => line !== '' && !line.startsWith('> '));

it('EXAMPLE PUT: stores apple.jpg on the server, byte for byte, and says so', async () => {
  const put = await client('uploader', 'put', 'apple.jpg');
  expect(put).toMatchObject({ code: EXIT.ok, stderr: 'put apple.jpg: 1.00 MiB stored on the server\n' });
  expect(await readdir(join(base, 'shared'))).toEqual(['apple.jpg']);
  expect(await sha256(join(base, 'shared', 'apple.jpg'))).toBe(await sha256(join(base, 'uploader', 'apple.jpg')));
});

it('EXAMPLE GET: downloads apple.jpg into the folder it is run from, byte for byte', async () => {
  const get = await client('downloader', 'get', 'apple.jpg');
  expect(get.code).toBe(EXIT.ok);
  expect(get.stderr).toMatch(/^get apple\.jpg: 1\.00 MiB into .*apple\.jpg\n$/);
  expect(await readdir(join(base, 'downloader'))).toEqual(['apple.jpg']);
  expect(await sha256(join(base, 'downloader', 'apple.jpg'))).toBe(await sha256(join(base, 'uploader', 'apple.jpg')));
});

it('EXAMPLE LIST: lists the files of the server folder', async () => {
  const list = await client('downloader', 'list');
  expect(list.code).toBe(EXIT.ok);
  expect(printed(list.stdout)).toEqual(['apple.jpg']);
});
