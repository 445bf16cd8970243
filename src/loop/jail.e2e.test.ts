/**
 * The root jail and the server's own temporary files, over real sockets and
 * real folders: a parent folder swapped for a symlink between the request and
 * the confirmation, symlink loops and links out of the root at start-up, and
 * names as long as the protocol allows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OP, STATUS, encodeRequest, encodeStatus, encodeUploadSize } from '../../machines/transfer/frames';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, startServerProcess, wirestate } from '../test-support/processes';
import { downloadArgs, uploadArgs } from '../test-support/transfer-client-args';
import { raw } from '../test-support/raw-client';
import { startTestServer, type TestServer } from '../test-support/servers';

describe('a folder swapped for a symlink between the request and the confirmation', () => {
  let t: TestServer;
  let outside: string;
  beforeEach(async () => {
    t = await startTestServer();
    outside = join(t.base, 'outside');
    await mkdir(join(t.files.root, 'sub', 'deeper'), { recursive: true });
    await mkdir(join(outside, 'deeper'), { recursive: true });
    await writeFile(join(t.files.root, 'sub', 'deeper', 'secret.txt'), 'inside....');
    await writeFile(join(outside, 'deeper', 'secret.txt'), 'OUTSIDE!!!');
  });
  afterEach(() => t.stop());
  const swap = async () => {
    await rename(join(t.files.root, 'sub'), join(t.files.root, 'sub-was'));
    await symlink(outside, join(t.files.root, 'sub'));
  };

  it('a download sends no byte of the file outside', async () => {
    const client = await raw(t.port, encodeRequest(OP.download, 'sub/deeper/secret.txt'));
    expect((await client.replies(9))[0]).toBe(STATUS.yes);
    await swap();
    client.socket.write(encodeStatus(STATUS.yes));
    await client.ended;
    const received = await client.replies(9);
    expect(received.length).toBe(9);
    expect(received.toString('latin1')).not.toContain('OUTSIDE');
    expect(await t.nextOutcome()).toMatchObject({
      outcome: 'server_error',
      detail: 'a name that leads out of the served folder',
    });
  });

  it('an upload creates nothing outside', async () => {
    const client = await raw(t.port, encodeRequest(OP.upload, 'sub/deeper/new.txt'));
    expect((await client.replies(1))[0]).toBe(STATUS.yes);
    await swap();
    client.socket.write(encodeUploadSize(5));
    expect((await client.replies(2))[1]).toBe(STATUS.yes);
    client.socket.end('hello');
    expect(await client.ended).toBe('reset');
    expect(await t.nextOutcome()).toMatchObject({
      outcome: 'not_stored',
      detail: 'a name that leads out of the served folder',
    });
    expect(await readdir(join(outside, 'deeper'))).toEqual(['secret.txt']);
    expect(await readdir(join(t.files.root, 'sub-was', 'deeper'))).toEqual(['secret.txt']);
  });
});

describe('the start-up sweep of stale temporary files', () => {
  let base: string;
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('listens with symlink loops in the root and removes nothing through a link out of it', async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-jail-'));
    const gone = spawn('true');
    await once(gone, 'exit');
    const stale = `.x.${String(gone.pid)}-abcdef.wirestate-part`;
    await mkdir(join(base, 'root'));
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', stale), 'not the server’s');
    await writeFile(join(base, 'root', stale), 'left by a killed server');
    await symlink('.', join(base, 'root', 'a'));
    await symlink('.', join(base, 'root', 'b'));
    await symlink(join(base, 'outside'), join(base, 'root', 'out'));
    const server = await startServerProcess(['--root', join(base, 'root')]);
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.output()).toMatch(/removed 1 temporary file/);
    expect(await readdir(join(base, 'outside'))).toEqual([stale]);
    expect((await readdir(join(base, 'root'))).sort()).toEqual(['a', 'b', 'out']);
  });
});

describe('names as long as the protocol allows', () => {
  let base: string;
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('a 255-byte name uploads and downloads (into a 255-byte local name) with exit 0', async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-jail-'));
    const name = '\u00e9'.repeat(100) + 'n'.repeat(51) + '.txt';
    expect(Buffer.byteLength(name)).toBe(255);
    await mkdir(join(base, 'root'));
    await mkdir(join(base, 'local'));
    await writeFile(join(base, 'local', 'up.txt'), 'long named');
    const server = await startServerProcess(['--root', join(base, 'root')]);
    try {
      const up = await wirestate(uploadArgs(server.port, join(base, 'local', 'up.txt'), name));
      expect(up.code).toBe(EXIT.ok);
      expect(await readFile(join(base, 'root', name), 'utf8')).toBe('long named');
      const down = await wirestate(downloadArgs(server.port, name, join(base, 'local', name)));
      expect(down.code).toBe(EXIT.ok);
      expect(await readFile(join(base, 'local', name), 'utf8')).toBe('long named');
      expect((await readdir(join(base, 'root'))).sort()).toEqual([name]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('a share put and get of a 255-byte name both exit 0 and store the whole file', async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-jail-'));
    const name = 'n'.repeat(251) + '.txt';
    await Promise.all(['shared', 'here', 'there'].map((folder) => mkdir(join(base, folder))));
    await writeFile(join(base, 'here', name), 'long named');
    const server = await startCliServer([
      'share',
      'server',
      '0',
      '--host',
      '127.0.0.1',
      '--root',
      join(base, 'shared'),
    ]);
    const client = (cwd: string, ...args: string[]) =>
      wirestate(['share', 'client', '127.0.0.1', String(server.port), ...args], join(base, cwd));
    try {
      expect((await client('here', 'put', name)).code).toBe(EXIT.ok);
      expect((await client('there', 'get', name)).code).toBe(EXIT.ok);
      expect(await readFile(join(base, 'there', name), 'utf8')).toBe('long named');
      expect(await readdir(join(base, 'shared'))).toEqual([name]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
