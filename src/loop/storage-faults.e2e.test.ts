/**
 * The file system failing under a running server, for real: a full disk (a
 * small tmpfs mounted in a private mount namespace) and permission denied (the
 * server run without privileges in a user namespace). Needs util-linux
 * `unshare` and unprivileged user namespaces, as on Debian.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OP, STATUS, encodeRequest, encodeUploadSize } from '../../machines/transfer/frames';
import { EXIT } from '../engine/exit-codes';
import { errorCode } from '../storage/errors';
import { CLI, run, startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';
import { downloadArgs, uploadArgs } from '../test-support/transfer-client-args';
import { raw } from '../test-support/raw-client';
import { onSmallDisk } from '../test-support/small-disk';

const MiB = 1024 * 1024;
let base: string;
let server: ServerProcess;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-storage-'));
  await mkdir(join(base, 'root'));
  await mkdir(join(base, 'local'));
});
afterEach(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

describe('a full disk', () => {
  /** The server, serving a 4 MiB tmpfs that only it (and /proc/PID/root) can see. */
  const startOnSmallDisk = () =>
    startServerProcess(['--root', join(base, 'root')], onSmallDisk(join(base, 'root'), '4m'));
  /** The server's root as seen from outside its mount namespace. */
  const disk = () => join(`/proc/${String(server.child.pid)}/root`, base, 'root');

  /** Writes zeros to `path` until the disk is full. */
  const fill = async (path: string) => {
    try {
      await writeFile(path, Buffer.alloc(8 * MiB));
      throw new Error('the disk did not fill up');
    } catch (error) {
      expect(errorCode(error)).toBe('ENOSPC');
    }
  };

  it('filling up during an upload: the upload is not stored, nothing partial is left, and the server serves on', async () => {
    server = await startOnSmallDisk();
    const upload = await raw(server.port, encodeRequest(OP.upload, 'big.bin'));
    await upload.replies(1);
    upload.socket.write(encodeUploadSize(3 * MiB));
    expect((await upload.replies(2))[1]).toBe(STATUS.yes); // 4 MiB free: accepted
    upload.socket.write(Buffer.alloc(MiB, 7));
    await server.logged(/upload "big.bin"/);

    await fill(join(disk(), 'filler'));
    upload.socket.write(Buffer.alloc(2 * MiB, 7));
    expect(await upload.ended).toBe('reset');
    await server.logged(/not stored \(ENOSPC\)/);
    expect(await readdir(disk())).toEqual(['filler']);

    await unlink(join(disk(), 'filler'));
    await writeFile(join(base, 'local', 'small.txt'), 'there is room again');
    const again = await wirestate(uploadArgs(server.port, join(base, 'local', 'small.txt'), 'small.txt'));
    expect(again.code).toBe(EXIT.ok);
    expect(await readdir(disk())).toEqual(['small.txt']);
  });

  it('concurrent uploads that each fit alone but not together: the room goes to one, the others are refused at once', async () => {
    server = await startOnSmallDisk();
    const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin'];
    for (const name of names) await writeFile(join(base, 'local', name), Buffer.alloc(3 * MiB, 7));
    const upload = (name: string) => wirestate(uploadArgs(server.port, join(base, 'local', name), name));
    const results = await Promise.all(names.map(upload));
    // The room promised to the upload under way is not promised again: no two fill the disk and both fail.
    expect(results.map((result) => result.code).sort()).toEqual([EXIT.ok, EXIT.refused, EXIT.refused, EXIT.refused]);
    const stored = names[results.findIndex((result) => result.code === EXIT.ok)];
    expect(await readdir(disk())).toEqual([stored]);
    expect((await readFile(join(disk(), stored))).equals(Buffer.alloc(3 * MiB, 7))).toBe(true);
    // Once that upload is over, its promise is let go: the room left (1 MiB) takes a small file.
    await writeFile(join(base, 'local', 'small.txt'), 'room for this');
    expect((await upload('small.txt')).code).toBe(EXIT.ok);
  });

  it('an upload that announces the whole disk and trickles holds only the floor: another client still stores its file', async () => {
    server = await startServerProcess(['--root', join(base, 'root')], onSmallDisk(join(base, 'root'), '128m'));
    // The attacker, from its own address: asks for nearly all the room, is admitted, then sends a few bytes a second.
    const attacker = connect({ port: server.port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    const replies: Buffer[] = [];
    attacker.on('data', (chunk: Buffer) => replies.push(chunk));
    attacker.on('error', () => undefined);
    attacker.write(encodeRequest(OP.upload, 'hog.bin'));
    attacker.write(encodeUploadSize(128 * MiB - 8));
    while (Buffer.concat(replies).length < 2) await once(attacker, 'data');
    expect(Buffer.concat(replies)[1]).toBe(STATUS.yes);
    attacker.write(Buffer.alloc(512, 1));
    try {
      await writeFile(join(base, 'local', 'small.txt'), 'a small file');
      const legitimate = await wirestate(uploadArgs(server.port, join(base, 'local', 'small.txt'), 'small.txt'));
      expect(legitimate.code).toBe(EXIT.ok);
      expect(await readFile(join(disk(), 'small.txt'), 'utf8')).toBe('a small file');
    } finally {
      attacker.destroy();
    }
  });

  it('an upload larger than the free space is refused at its size frame, before any byte is written', async () => {
    server = await startOnSmallDisk();
    await writeFile(join(base, 'local', 'five.bin'), Buffer.alloc(5 * MiB));
    const result = await wirestate(uploadArgs(server.port, join(base, 'local', 'five.bin'), 'five.bin'));
    expect(result.code).toBe(EXIT.refused);
    // F here means no room: the client's words cover every meaning of an upload's F (README, exit 3).
    expect(result.stderr).toContain(
      'refused by the server: the name exists on the server or is busy, or the server has no room for the file (or it is over the size limit)',
    );
    await server.logged(/refused \(no room\)/);
    expect(await readdir(disk())).toEqual([]);
  });
});

describe('a full disk under --record', () => {
  const onSmallTraceDisk = () => onSmallDisk(join(base, 'traces'), '1m');

  it('the server stops the trace that fills it, with one warning, and serves that download whole and the next', async () => {
    await mkdir(join(base, 'traces'));
    await writeFile(join(base, 'root', 'big.bin'), Buffer.alloc(3 * MiB, 7));
    server = await startServerProcess(
      ['--root', join(base, 'root'), '--record', join(base, 'traces')],
      onSmallTraceDisk(),
    );
    const first = await wirestate(downloadArgs(server.port, 'big.bin', join(base, 'local', 'one.bin')));
    expect(first.code).toBe(EXIT.ok);
    expect((await readFile(join(base, 'local', 'one.bin'))).equals(Buffer.alloc(3 * MiB, 7))).toBe(true);
    await server.logged(
      /trace stopped and removed, the connection goes on without it: cannot write \S+\.jsonl \(ENOSPC\)/,
    );
    const second = await wirestate(downloadArgs(server.port, 'big.bin', join(base, 'local', 'two.bin')));
    expect(second.code).toBe(EXIT.ok);
    expect(server.child.exitCode).toBeNull();
  });

  it('a client whose trace fills the disk says so once and moves the file whole', async () => {
    await mkdir(join(base, 'traces'));
    await writeFile(join(base, 'root', 'big.bin'), Buffer.alloc(3 * MiB, 9));
    server = await startServerProcess(['--root', join(base, 'root')]);
    const [command, ...rest] = onSmallTraceDisk();
    const client = await run(command, [
      ...rest,
      process.execPath,
      CLI,
      'client',
      '-s',
      `127.0.0.1:${server.port}`,
      '-v',
      'big.bin',
      '-l',
      join(base, 'local', 'got.bin'),
      '--record',
      join(base, 'traces'),
    ]);
    expect(client.code).toBe(EXIT.ok);
    expect(client.stderr.match(/trace stopped and removed/g)).toHaveLength(1);
    expect(client.stderr).toMatch(/cannot write \S+client\.jsonl \(ENOSPC\)/);
    expect((await readFile(join(base, 'local', 'got.bin'))).equals(Buffer.alloc(3 * MiB, 9))).toBe(true);
  });
});

describe('permission denied', () => {
  /** The server as an unprivileged user: file modes apply to it even when the tests run as root. */
  const startUnprivileged = () => startServerProcess(['--root', join(base, 'root')], ['unshare', '--user']);

  it('a file the server may not read is refused with E, not a broken connection', async () => {
    await writeFile(join(base, 'root', 'secret.txt'), 'not for you');
    await chmod(join(base, 'root', 'secret.txt'), 0o000);
    server = await startUnprivileged();
    const result = await wirestate(downloadArgs(server.port, 'secret.txt', join(base, 'local', 'got.txt')));
    expect(result.code).toBe(EXIT.serverError);
    await server.logged(/download "secret.txt"[\s\S]*server error \(EACCES\)/);
    expect(await readdir(join(base, 'local'))).toEqual([]);
  });

  it('an upload into a folder the server may not write is refused with E, and nothing is created', async () => {
    await mkdir(join(base, 'root', 'readonly'), { mode: 0o555 });
    await writeFile(join(base, 'local', 'up.txt'), 'hello');
    server = await startUnprivileged();
    const result = await wirestate(uploadArgs(server.port, join(base, 'local', 'up.txt'), 'readonly/up.txt'));
    expect(result.code).toBe(EXIT.serverError);
    await server.logged(/upload "readonly\/up.txt"[\s\S]*server error \(EACCES\)/);
    expect(await readdir(join(base, 'root', 'readonly'))).toEqual([]);
  });
});

describe('temporary files left by a killed process', () => {
  it('the server removes those of writers no longer running when it starts, and keeps those of live ones', async () => {
    const gone = spawn('true');
    await once(gone, 'exit');
    const stale = `.a.txt.${String(gone.pid)}-0123456789ab.wirestate-part`;
    const live = `.b.txt.${process.pid}-0123456789ab.wirestate-part`;
    await mkdir(join(base, 'root', 'sub'));
    await writeFile(join(base, 'root', 'sub', stale), 'half a file');
    await writeFile(join(base, 'root', live), 'being written');
    server = await startServerProcess(['--root', join(base, 'root')]);
    await server.logged(/removed 1 temporary file\(s\) left by a stopped server/);
    expect(await readdir(join(base, 'root', 'sub'))).toEqual([]);
    expect(await readdir(join(base, 'root'))).toEqual(expect.arrayContaining([live]));
  });
});
