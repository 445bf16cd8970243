/** Limits and shutdown over real sockets and processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OP, encodeRequest, encodeUploadSize } from '../../machines/transfer/frames';
import { CLI } from '../test-support/processes';
import { NOTHING_LEFT, leftovers, temporaryFiles } from '../test-support/leftovers';
import { startTestServer } from '../test-support/servers';

/** A raw client: connects, sends `bytes`, and remembers how the server ended it. */
async function raw(port: number, ...bytes: Buffer[]) {
  const socket: Socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  const ended = new Promise<'end' | 'reset'>((resolve) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => resolve('end'));
    socket.on('error', () => resolve('reset'));
  });
  // A server at its connection limit may reset the socket before it even reports being connected.
  await Promise.race([once(socket, 'connect'), ended]).catch(() => undefined);
  for (const chunk of bytes) socket.write(chunk);
  const replies = async (count: number) => {
    while (Buffer.concat(received).length < count) await once(socket, 'data');
    return Buffer.concat(received);
  };
  return { socket, ended, replies };
}

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

describe('shutdown on a signal', () => {
  let root: string;
  let server: ChildProcess;
  let port: number;
  let output: string;

  const start = async (graceSeconds: number) => {
    root = await mkdtemp(join(tmpdir(), 'wirestate-shutdown-'));
    server = spawn(process.execPath, [CLI, 'server', '-l', '0', '--host', '127.0.0.1', '--root', root, '--grace', String(graceSeconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    while (!/listening on [\d.]+:\d+/.test(output)) await once(server.stdout!, 'data');
    port = Number(/listening on [\d.]+:(\d+)/.exec(output)![1]);
  };
  afterEach(() => rm(root, { recursive: true, force: true }));

  const exited = () => new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  const logged = async (pattern: RegExp) => {
    while (!pattern.test(output)) await once(server.stdout!, 'data');
  };

  it('stops accepting, lets a transfer in flight finish, aborts one that stalls after --grace, exits 0, leaves no temp file', async () => {
    await start(2);
    const finishing = await raw(port, encodeRequest(OP.upload, 'finishing.bin'), encodeUploadSize(3000), Buffer.alloc(1000, 1));
    const stalled = await raw(port, encodeRequest(OP.upload, 'stalled.bin'), encodeUploadSize(3000), Buffer.alloc(1000, 2));
    await finishing.replies(2);
    await stalled.replies(2);
    const exit = exited();
    server.kill('SIGTERM');
    await logged(/SIGTERM: no longer accepting connections; 2 in flight get up to 2 s/);

    const late = connect(port, '127.0.0.1');
    const [refused] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    expect(refused.code).toBe('ECONNREFUSED');

    finishing.socket.write(Buffer.alloc(2000, 1));
    expect(await finishing.ended).toBe('end');
    expect(await stalled.ended).toBe('reset');
    expect(await exit).toBe(0);
    expect((await readFile(join(root, 'finishing.bin'))).length).toBe(3000);
    expect(await readdir(root)).toEqual(['finishing.bin']);
    expect(await temporaryFiles(root)).toEqual([]);
  });

  it('a second signal stops at once (no waiting out a 600 s grace), still leaving no temp file', async () => {
    await start(600);
    const stalled = await raw(port, encodeRequest(OP.upload, 'stalled.bin'), encodeUploadSize(3000), Buffer.alloc(1000));
    await stalled.replies(2);
    const exit = exited();
    server.kill('SIGTERM');
    await logged(/no longer accepting/);
    server.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toMatch(/SIGTERM again: stopping now/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('--idle-timeout on the command line', () => {
  it('resets a connection that sends nothing for that long', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wirestate-idle-'));
    const server = spawn(process.execPath, [CLI, 'server', '-l', '0', '--host', '127.0.0.1', '--root', root, '--idle-timeout', '0.2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    while (!/listening on [\d.]+:\d+/.test(output)) await once(server.stdout!, 'data');
    const silent = await raw(Number(/listening on [\d.]+:(\d+)/.exec(output)![1]));
    expect(await silent.ended).toBe('reset');
    while (!/timed_out/.test(output)) await once(server.stdout!, 'data');
    server.kill('SIGTERM');
    await once(server, 'exit');
    await rm(root, { recursive: true, force: true });
  });
});
