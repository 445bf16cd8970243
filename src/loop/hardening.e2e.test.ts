/** Limits and shutdown over real sockets and processes. */
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DOWNLOAD_REPLY_SIZE,
  OP,
  STATUS,
  encodeRequest,
  encodeStatus,
  encodeUploadSize,
} from '../../machines/transfer/frames';
import { startServerProcess, type ServerProcess } from '../test-support/processes';
import { NOTHING_LEFT, leftovers, temporaryFiles } from '../test-support/leftovers';
import { raw } from '../test-support/raw-client';
import { startTestServer } from '../test-support/servers';

const MiB = 1024 * 1024;

describe('--max-connections', () => {
  it('closes connections beyond the limit at once, logs them, and accepts again when there is room', async () => {
    const lines: string[] = [];
    const t = await startTestServer({ maxConnections: 2, lines });
    const first = await raw(t.port);
    const second = await raw(t.port);
    const third = await raw(t.port);
    expect(await third.ended).toBe('reset');
    expect(lines).toContainEqual(expect.stringMatching(/^warn c3 refused 127\.0\.0\.1:\d+: 2 connections open/));
    first.socket.destroy();
    second.socket.destroy();
    await t.server.whenIdle();
    const fourth = await raw(t.port, encodeRequest(OP.download, 'nothing'));
    expect((await fourth.replies(9))[0]).toBe(0x46); // 'F': served again
    fourth.socket.destroy();
    expect(await leftovers(t)).toEqual(NOTHING_LEFT);
    await t.stop();
  });
});

describe('a peer sending more than the protocol asks for', () => {
  it('is not read while the server is busy sending: its bytes wait in the kernel, not in server memory', async () => {
    const t = await startTestServer();
    await writeFile(join(t.files.root, 'big.bin'), Buffer.alloc(64 * MiB, 1));
    const peer = await raw(t.port, encodeRequest(OP.download, 'big.bin'));
    await peer.replies(DOWNLOAD_REPLY_SIZE);
    peer.socket.pause(); // reads none of the download, so the server stays in `downloading`
    peer.socket.write(encodeStatus(STATUS.yes));

    // Floods up to 64 MiB more, 1 MiB at a time, until a write has waited 1 s for room.
    const junk = Buffer.alloc(MiB, 0x5a);
    let stalled = false;
    for (let sent = 0; sent < 64 && !stalled; sent++) {
      if (!peer.socket.write(junk)) {
        stalled = await Promise.race([once(peer.socket, 'drain').then(() => false), delay(1000).then(() => true)]);
      }
    }
    const accepted = peer.socket.bytesWritten - peer.socket.writableLength;
    expect(stalled).toBe(true);
    // Loopback socket buffers on both sides hold a few MiB; the server itself buffers at most 256 KiB of input.
    expect(accepted).toBeLessThan(24 * MiB);

    peer.socket.destroy();
    expect(await leftovers(t)).toEqual(NOTHING_LEFT);
    await t.stop();
  });
});

describe('shutdown on a signal', () => {
  let root: string;
  let server: ServerProcess;

  const start = async (graceSeconds: number) => {
    root = await mkdtemp(join(tmpdir(), 'wirestate-shutdown-'));
    server = await startServerProcess(['--root', root, '--grace', String(graceSeconds)]);
  };
  afterEach(() => rm(root, { recursive: true, force: true }));
  /** An upload of 3000 bytes, accepted, that sends 1000 and then nothing. */
  const stalledUpload = async () => {
    const upload = await raw(
      server.port,
      encodeRequest(OP.upload, 'stalled.bin'),
      encodeUploadSize(3000),
      Buffer.alloc(1000),
    );
    await upload.replies(2);
    return upload;
  };

  it('stops accepting, lets a transfer in flight finish, aborts one that stalls after --grace, exits 0, leaves no temp file', async () => {
    await start(2);
    const finishing = await raw(
      server.port,
      encodeRequest(OP.upload, 'finishing.bin'),
      encodeUploadSize(3000),
      Buffer.alloc(1000, 1),
    );
    const stalled = await raw(
      server.port,
      encodeRequest(OP.upload, 'stalled.bin'),
      encodeUploadSize(3000),
      Buffer.alloc(1000, 2),
    );
    await finishing.replies(2);
    await stalled.replies(2);
    server.child.kill('SIGTERM');
    await server.logged(/SIGTERM: no longer accepting connections; 2 in flight get up to 2 s/);

    const late = connect(server.port, '127.0.0.1');
    const [refused] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    expect(refused.code).toBe('ECONNREFUSED');

    finishing.socket.write(Buffer.alloc(2000, 1));
    expect(await finishing.ended).toBe('end');
    expect(await stalled.ended).toBe('reset');
    expect(await server.exited).toBe(0);
    expect((await readFile(join(root, 'finishing.bin'))).length).toBe(3000);
    expect(await readdir(root)).toEqual(['finishing.bin']);
    expect(await temporaryFiles(root)).toEqual([]);
  });

  it('with --grace 0, says it stops accepting before it says what it aborts, and is refused after either', async () => {
    await start(0);
    const stalled = await stalledUpload();
    server.child.kill('SIGTERM');
    expect(await stalled.ended).toBe('reset');
    expect(await server.exited).toBe(0);
    const lines = server.output().split('\n');
    const stopping = lines.findIndex((line) =>
      line.includes('SIGTERM: no longer accepting connections; 1 in flight get up to 0 s'),
    );
    const aborting = lines.findIndex((line) => line.includes('aborting 1 connection(s) still open'));
    expect(stopping).toBeGreaterThanOrEqual(0);
    expect(aborting).toBeGreaterThan(stopping);
    expect(await readdir(root)).toEqual([]);
  });

  it('a second signal stops at once (no waiting out a 600 s grace), still leaving no temp file', async () => {
    await start(600);
    await stalledUpload();
    server.child.kill('SIGTERM');
    await server.logged(/no longer accepting/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM again: stopping now/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('--idle-timeout on the command line', () => {
  it('resets a connection that sends nothing for that long', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wirestate-idle-'));
    const server = await startServerProcess(['--root', root, '--idle-timeout', '0.2']);
    const silent = await raw(server.port);
    expect(await silent.ended).toBe('reset');
    await server.logged(/timed out/);
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(root, { recursive: true, force: true });
  });
});
