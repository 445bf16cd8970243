/**
 * Uploads over a slow link: the client's idle timeout means no progress, and
 * its bytes leaving the kernel's send queue are progress. Through the stammer
 * proxy, an upload that takes longer than the client's --idle-timeout after its
 * last write, while it moves, arrives whole (transfer, share put, queue send);
 * a peer that stops reading still times the client out.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATUS, encodeStatus } from '../../machines/transfer/frames';
import { EXIT } from '../engine/exit-codes';
import type { RunningProxy } from '../proxy/stammer-proxy';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';
import { stammerTo } from '../test-support/stammer';

/**
 * About 150 KB/s through the proxy (fragments up to 4 KiB, each after 0 to 24 ms; 1 KiB ones after 0 to 5 ms gave
 * about the same rate with four times the fragments, each costing CPU in the proxy, the client and the server):
 * 2.6 MB take about 17 s, and the client's kernel has them all, bar a few, within a second. Past the client, the
 * proxy's own socket buffers hold up to about 600 KB the client cannot see move (about 5 s here, twice that with
 * two test suites loading the machine, when the proxy's delays stretch): the idle timeout must outlast that, and
 * the upload must outlast the idle timeout, or the test could not fail without the fix.
 */
const IDLE_SECONDS = '12';
const SIZE = 2_600_000;

let dir: string;
let root: string;
let here: string;
let server: ServerProcess | undefined;
let proxy: RunningProxy | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wirestate-slow-link-'));
  root = join(dir, 'root');
  here = join(dir, 'here');
  await mkdir(root);
  await mkdir(here);
});
afterEach(async () => {
  await proxy?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  proxy = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Starts `serverArgs` (listening on port 0) and a stammer proxy in front of it; returns the proxy's port. */
async function slowLinkTo(serverArgs: string[]): Promise<number> {
  server = await startCliServer(serverArgs);
  proxy = await stammerTo(server.port, { maxFragment: 4096, maxDelayMs: 24, seed: 13 });
  return proxy.address.port;
}

describe('an upload slower than the idle timeout that keeps moving arrives whole', () => {
  it('transfer upload', async () => {
    const port = await slowLinkTo(['server', '-l', '0', '--host', '127.0.0.1', '--root', root]);
    const bytes = randomBytes(SIZE);
    await writeFile(join(here, 'up.bin'), bytes);
    const result = await wirestate(
      [
        'client',
        '-m',
        'upload',
        '-s',
        `127.0.0.1:${port}`,
        '-l',
        'up.bin',
        '-v',
        'up.bin',
        '-q',
        '--idle-timeout',
        IDLE_SECONDS,
      ],
      here,
    );
    expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect((await readFile(join(root, 'up.bin'))).equals(bytes)).toBe(true);
  });

  it('share put', async () => {
    const port = await slowLinkTo(['share', 'server', '0', '--host', '127.0.0.1', '--root', root]);
    const bytes = randomBytes(SIZE);
    await writeFile(join(here, 'up.bin'), bytes);
    const result = await wirestate(
      ['share', 'client', '127.0.0.1', String(port), 'put', 'up.bin', '--idle-timeout', IDLE_SECONDS],
      here,
    );
    expect(result.code).toBe(EXIT.ok);
    expect((await readFile(join(root, 'up.bin'))).equals(bytes)).toBe(true);
  });

  it('queue send', async () => {
    const port = await slowLinkTo([
      'queue',
      'server',
      '0',
      'TCP',
      '--host',
      '127.0.0.1',
      '--max-size',
      String(2 * SIZE),
    ]);
    const text = randomBytes(SIZE / 2).toString('hex');
    await writeFile(join(here, 'message.txt'), text);
    const sent = await wirestate(
      ['queue', 'client', '127.0.0.1', String(port), 'TCP', 'send', 'message.txt', '--idle-timeout', IDLE_SECONDS],
      here,
    );
    expect(sent.code).toBe(EXIT.ok);
    const received = await wirestate(['queue', 'client', '127.0.0.1', String(server!.port), 'TCP', 'receive'], here);
    expect(received).toMatchObject({ code: EXIT.ok, stdout: `${text}\n` });
  });
});

it('a server that stops reading an upload still times the client out: acknowledges nothing, no progress', async () => {
  // Answers the request and the size with T, then never reads again (it knows no hello: the client runs --plain).
  const sockets: Socket[] = [];
  const stalling: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(encodeStatus(STATUS.yes));
      socket.once('data', () => {
        socket.write(encodeStatus(STATUS.yes));
        socket.pause();
      });
    });
  });
  try {
    await once(stalling.listen(0, '127.0.0.1'), 'listening');
    const { port } = stalling.address() as AddressInfo;
    // Far more than the kernel's buffers on both sides take while nobody reads.
    await writeFile(join(here, 'big.bin'), Buffer.alloc(64 * 1024 * 1024));
    const result = await wirestate(
      [
        'client',
        '-m',
        'upload',
        '-s',
        `127.0.0.1:${port}`,
        '-l',
        'big.bin',
        '-v',
        'big.bin',
        '-q',
        '--plain',
        '--idle-timeout',
        '2',
      ],
      here,
    );
    expect(result).toMatchObject({
      code: EXIT.interrupted,
      stderr: expect.stringContaining('no answer from the server in time (--idle-timeout)'),
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    stalling.close();
  }
});
