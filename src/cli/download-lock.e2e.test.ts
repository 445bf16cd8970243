/**
 * Two client processes downloading into the same local file: the second stops before it touches the file or
 * the part the first is writing ("another download is writing FILE", exit 7), and the first finishes whole.
 * A lock a killed download left is taken over.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
let server: ServerProcess;
const content = randomBytes(4 * 1024 * 1024);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-lock-'));
  await mkdir(join(base, 'served'));
  await writeFile(join(base, 'served', 'big.bin'), content);
  server = await startServerProcess(['--root', join(base, 'served')]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/** A relay to the server that holds back what the server sends once `afterBytes` of it have passed, until opened. */
async function holdingRelay(afterBytes: number) {
  const sockets: Socket[] = [];
  let held: (() => void) | undefined;
  const holding = new Promise<void>((resolve) => (held = resolve));
  let open: () => void = () => undefined;
  const relay = createServer((client) => {
    const upstream = connect(server.port, '127.0.0.1');
    sockets.push(client, upstream);
    let passed = 0;
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      passed += chunk.length;
      if (passed < afterBytes || held === undefined) return;
      held();
      held = undefined;
      upstream.pause();
      open = () => upstream.resume();
    });
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  return {
    port: (relay.address() as AddressInfo).port,
    holding,
    open: () => open(),
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      relay.close();
    },
  };
}

it('a second process downloading into the file another is writing stops at once; the first finishes', async () => {
  const got = await mkdtemp(join(base, 'got-'));
  const relay = await holdingRelay(1024 * 1024);
  try {
    const first = spawn(
      process.execPath,
      [CLI, 'client', '-q', '-s', `127.0.0.1:${relay.port}`, '-v', 'big.bin', '-l', 'x'],
      {
        cwd: got,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 30_000,
      },
    );
    let firstStderr = '';
    first.stderr.on('data', (chunk: Buffer) => (firstStderr += chunk.toString()));
    const firstExit = once(first, 'exit') as Promise<[number | null]>;
    await relay.holding;
    const second = await wirestate(['client', '-q', '-s', `127.0.0.1:${server.port}`, '-v', 'big.bin', '-l', 'x'], got);
    expect(second).toMatchObject({
      code: EXIT.localFile,
      stderr: expect.stringMatching(
        /^wirestate client: another download is writing x \(process \d+; if none is, remove \S+\.x\.wirestate-lock\)\n$/,
      ),
    });
    relay.open();
    const [code] = await firstExit;
    expect({ code, stderr: firstStderr }).toEqual({ code: EXIT.ok, stderr: '' });
    expect((await readFile(join(got, 'x'))).equals(content)).toBe(true);
    expect(await readdir(got)).toEqual(['x']);
  } finally {
    relay.close();
  }
});

it('takes over the lock a killed download left, and leaves none behind', async () => {
  const got = await mkdtemp(join(base, 'stale-'));
  const gone = spawn(process.execPath, ['-e', '']);
  const [pid] = [gone.pid!, await once(gone, 'exit')];
  await writeFile(join(got, '.x.wirestate-lock'), `${pid}\n`);
  const result = await wirestate(['client', '-q', '-s', `127.0.0.1:${server.port}`, '-v', 'big.bin', '-l', 'x'], got);
  expect(result).toMatchObject({ code: EXIT.ok, stderr: '' });
  expect((await readFile(join(got, 'x'))).equals(content)).toBe(true);
  expect(await readdir(got)).toEqual(['x']);
});
