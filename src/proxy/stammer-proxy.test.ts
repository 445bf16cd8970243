/** The stammer proxy over real loopback sockets: nothing lost or reordered, ends and resets passed on, runs repeatable. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { peerReset } from '../loop/peer-reset';
import { unacknowledgedBytes } from '../loop/tcp-table';
import { EXIT } from '../engine/exit-codes';
import { parseTrace, chunkBytes } from '../trace/trace-format';
import { CLI, freePort, sha256, wirestate } from '../test-support/processes';
import { startTestServer, type TestServer } from '../test-support/servers';
import { capturingLogger } from '../test-support/logs';
import type { ProxyOptions, RunningProxy } from './stammer-proxy';
import { stammerTo } from '../test-support/stammer';

const logger = (lines: string[] = []) => capturingLogger(lines);

/** How these tests cut unless told otherwise: 3-byte fragments, no delay. */
const CUTS = { maxFragment: 3, maxDelayMs: 0, seed: 1 };

/** An upstream that records what it receives and answers with `reply` once the client has ended. */
async function recordingUpstream(reply: Buffer): Promise<{ server: Server; port: number; received: Promise<Buffer> }> {
  let deliver!: (bytes: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => (deliver = resolve));
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      deliver(Buffer.concat(chunks));
      socket.end(reply);
    });
  });
  await once(server.listen(0, '127.0.0.1'), 'listening');
  return { server, port: (server.address() as AddressInfo).port, received };
}

async function exchange(port: number, send: Buffer): Promise<Buffer> {
  const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await once(socket, 'connect');
  socket.end(send);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks);
}

describe('stammer proxy relaying', () => {
  it('passes every byte, in order, both ways, in fragments of at most --max-fragment, then the end of stream', async () => {
    // 17 KB in fragments of 1 to 3 bytes: thousands of them, each logged (170 KB took 27 s of a loaded machine).
    const up = randomBytes(10_000);
    const down = randomBytes(7_000);
    const upstream = await recordingUpstream(down);
    const lines: string[] = [];
    const proxy = await stammerTo(upstream.port, { ...CUTS, log: logger(lines) });
    expect(await exchange(proxy.address.port, up)).toEqual(down);
    expect(await upstream.received).toEqual(up);
    const sizes = lines
      .map((line) => /^debug p1 [cs]>[cs] (\d+) B/.exec(line)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(sizes.length).toBeGreaterThan(5_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    await proxy.close();
    upstream.server.close();
  });

  it('cuts the same way for the same seed, and another way for another seed', async () => {
    const upstream = await recordingUpstream(Buffer.alloc(0));
    const cuts = async (seed: number) => {
      const lines: string[] = [];
      const proxy = await stammerTo(upstream.port, { ...CUTS, seed, maxFragment: 50, log: logger(lines) });
      await exchange(proxy.address.port, Buffer.alloc(2000));
      await proxy.close();
      return lines.filter((line) => line.includes(' c>s '));
    };
    const first = await cuts(42);
    expect(await cuts(42)).toEqual(first);
    expect(await cuts(43)).not.toEqual(first);
    upstream.server.close();
  });

  it('passes a reset on as a reset, not as a clean end', async () => {
    const upstream = createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await once(upstream.listen(0, '127.0.0.1'), 'listening');
    const proxy = await stammerTo((upstream.address() as AddressInfo).port, CUTS);
    const socket = connect(proxy.address.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('hello');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');
    await proxy.close();
    upstream.close();
  });

  /**
   * One side sends far more than the proxy holds to a peer that does not read, and resets once the proxy has
   * stopped reading it (its unacknowledged bytes pile up); then the far side reads on. What it saw: a reset
   * (an error, or an end the kernel's table shows was a reset, as wirestate's own loop tells them) or a clean end.
   */
  async function resetWhileHeld(direction: 'up' | 'down'): Promise<string> {
    let seen!: (what: string) => void;
    const far = new Promise<string>((resolve) => (seen = resolve));
    let farSocket!: Socket;
    const farSide = (socket: Socket) => {
      farSocket = socket;
      socket.pause();
      socket.on('data', () => undefined);
      socket.on('error', (error: NodeJS.ErrnoException) => seen(error.code ?? 'error'));
      socket.on('end', () => seen(peerReset(socket) ? 'ECONNRESET' : 'end'));
    };
    const upstream = createServer({ allowHalfOpen: true }, (socket) => {
      if (direction === 'up') farSide(socket);
      else sender = socket;
    });
    let sender: Socket | undefined;
    await once(upstream.listen(0, '127.0.0.1'), 'listening');
    const proxy = await stammerTo((upstream.address() as AddressInfo).port, { ...CUTS, maxFragment: 1024 });
    const client = connect({ port: proxy.address.port, host: '127.0.0.1', allowHalfOpen: true });
    await once(client, 'connect');
    if (direction === 'up') sender = client;
    else farSide(client);
    for (let tries = 0; tries < 200 && !sender; tries++) await delay(5);
    sender!.on('error', () => undefined);
    sender!.write(Buffer.alloc(8 * 1024 * 1024));
    for (let tries = 0; tries < 400 && ((await unacknowledgedBytes(sender!)) ?? 0) < 512 * 1024; tries++)
      await delay(5);
    sender!.resetAndDestroy();
    farSocket.resume();
    const what = await far;
    await proxy.close();
    upstream.close();
    return what;
  }

  it.each(['up', 'down'] as const)(
    'passes a reset on as a reset when it comes behind bytes the proxy holds (%s), every time',
    async (direction) => {
      const seen: string[] = [];
      for (let round = 0; round < 20; round++) seen.push(await resetWhileHeld(direction));
      expect(seen).toEqual(new Array(20).fill('ECONNRESET'));
    },
  );

  /**
   * A client sends `bytes` through a proxy cutting as `cuts` says and resets once `ready` settles: what the far
   * side saw end it (a reset, as wirestate's own loop tells one that came as an end, or a clean end) and how many
   * bytes reached it after the reset.
   */
  async function resetMidway(
    cuts: Partial<ProxyOptions>,
    bytes: number,
    ready: (client: Socket) => Promise<unknown>,
  ): Promise<{ seen: string; afterReset: number }> {
    let afterReset = 0;
    let resetSent = false;
    let heard!: (what: string) => void;
    const far = new Promise<string>((resolve) => (heard = resolve));
    const upstream = createServer({ allowHalfOpen: true }, (socket) => {
      socket.on('data', (chunk: Buffer) => (afterReset += resetSent ? chunk.length : 0));
      socket.on('error', (error: NodeJS.ErrnoException) => heard(error.code ?? 'error'));
      socket.on('end', () => heard(peerReset(socket) ? 'ECONNRESET' : 'end'));
    });
    await once(upstream.listen(0, '127.0.0.1'), 'listening');
    const proxy = await stammerTo((upstream.address() as AddressInfo).port, { ...CUTS, ...cuts });
    const client = connect({ port: proxy.address.port, host: '127.0.0.1' });
    await once(client, 'connect');
    client.on('error', () => undefined);
    client.write(Buffer.alloc(bytes));
    await ready(client);
    resetSent = true;
    client.resetAndDestroy();
    const seen = await far;
    await proxy.close();
    upstream.close();
    return { seen, afterReset };
  }

  it('passes a reset on at once while it has paused reading a slow link: the bytes it held are dropped', async () => {
    // As `npm run proxy -- --max-delay-ms 20`: about 50 KB/s, so it soon holds 64 KiB and stops reading the client.
    const { seen, afterReset } = await resetMidway(
      { maxFragment: 1024, maxDelayMs: 20 },
      8 * 1024 * 1024,
      async (client) => {
        for (let tries = 0; tries < 400 && ((await unacknowledgedBytes(client)) ?? 0) < 512 * 1024; tries++)
          await delay(5);
      },
    );
    expect(seen).toBe('ECONNRESET');
    // Held at the reset: 64 KiB in the proxy and all the kernel had taken from the client (over 512 KiB).
    expect(afterReset).toBeLessThan(64 * 1024);
  });

  it('passes a reset on within a check while it relays a faster link, reading and pausing by turns', async () => {
    // At about 1.6 MB/s the proxy drains below its 64 KiB mark within tens of milliseconds and reads again: the
    // reset must still be asked about while the bytes the kernel took from the client wait to be relayed.
    const relayedAfterReset: number[] = [];
    for (let round = 0; round < 3; round++) {
      // After a second of relaying, the kernel's buffers towards the proxy have grown and are full.
      const { seen, afterReset } = await resetMidway({ maxFragment: 4096, maxDelayMs: 5 }, 32 * 1024 * 1024, () =>
        delay(1000),
      );
      expect(seen).toBe('ECONNRESET');
      relayedAfterReset.push(afterReset);
    }
    // Within a check (200 ms) a few dozen KiB; before, the backlog the kernel held went first (130-400 KiB here).
    const median = relayedAfterReset.sort((a, b) => a - b)[1];
    expect(median).toBeLessThan(96 * 1024);
  });

  it('holds a bounded amount for an upstream that never reads: the sender is made to wait, not read dry', async () => {
    const upstream = createServer((socket) => socket.pause());
    await once(upstream.listen(0, '127.0.0.1'), 'listening');
    const proxy = await stammerTo((upstream.address() as AddressInfo).port, { ...CUTS, maxFragment: 4096 });
    const client = connect({ port: proxy.address.port, host: '127.0.0.1' });
    await once(client, 'connect');
    client.on('error', () => undefined);
    const SENT = 64 * 1024 * 1024;
    client.write(Buffer.alloc(SENT));
    // What the proxy's side has taken: acknowledged by its kernel. Wait (bounded) until it stops growing.
    const taken = async () => client.bytesWritten - client.writableLength - ((await unacknowledgedBytes(client)) ?? 0);
    let last = -1;
    let still = 0;
    for (let tries = 0; tries < 300 && still < 5; tries++) {
      await delay(100);
      const now = await taken();
      still = now === last ? still + 1 : 0;
      last = now;
    }
    // A proxy reading without bound takes all 64 MiB into its memory; this one stops at its 64 KiB and the buffers.
    expect(last).toBeLessThan(SENT / 2);
    expect(client.writableLength).toBeGreaterThan(0);
    client.destroy();
    await proxy.close();
    upstream.close();
  });

  it('--record writes what came from each side, byte for byte', async () => {
    const t = await startTestServer();
    const upstream = await recordingUpstream(Buffer.from('pong'));
    const proxy = await stammerTo(upstream.port, { ...CUTS, recordDir: join(t.base, 'traces') });
    await exchange(proxy.address.port, Buffer.from('ping'));
    await proxy.close();
    const [file] = await readdir(join(t.base, 'traces'));
    const trace = parseTrace(await readFile(join(t.base, 'traces', file), 'utf8'));
    expect(trace.header).toMatchObject({ role: 'proxy', connection: 'p1' });
    const bytes = (side: 'in' | 'out') =>
      Buffer.concat(trace.entries.filter((entry) => side in entry).map((entry) => chunkBytes(entry)!));
    expect(bytes('in').toString()).toBe('ping');
    expect(bytes('out').toString()).toBe('pong');
    upstream.server.close();
    await t.stop();
  });
});

/** Where `received` differs from `sent` (which it must match in length). */
function differences(sent: Buffer, received: Buffer): number[] {
  expect(received.length).toBe(sent.length);
  return [...sent.keys()].filter((at) => sent[at] !== received[at]);
}

describe('--corrupt-after', () => {
  const up = randomBytes(100_000);
  const down = randomBytes(70_000);

  /** One exchange through a proxy on `port`: where what the upstream received and what came back differ. */
  async function flips(options: Partial<ProxyOptions>): Promise<{ up: number[]; down: number[]; bytes: string[] }> {
    const upstream = await recordingUpstream(down);
    const proxy = await stammerTo(upstream.port, { ...CUTS, maxFragment: 700, ...options });
    const back = await exchange(proxy.address.port, up);
    const received = await upstream.received;
    await proxy.close();
    upstream.server.close();
    return {
      up: differences(up, received),
      down: differences(down, back),
      bytes: [received, back].map((side) => side.toString('hex')),
    };
  }

  it('changes exactly one byte each way, the one after the first N, the same way for the same seed', async () => {
    const corrupt = { after: 12_345, direction: 'both' as const };
    const first = await flips({ corrupt, seed: 5 });
    expect(first).toMatchObject({ up: [12_345], down: [12_345] });
    expect((await flips({ corrupt, seed: 5 })).bytes).toEqual(first.bytes);
    expect(await flips({ corrupt: { after: 0, direction: 'both' } })).toMatchObject({ up: [0], down: [0] });
    expect(await flips({ corrupt: { after: 69_999, direction: 'both' } })).toMatchObject({
      up: [69_999],
      down: [69_999],
    });
    expect(await flips({ corrupt: { after: 70_000, direction: 'both' } })).toMatchObject({ up: [70_000], down: [] });
  });

  it.each([
    ['up', [999], []],
    ['down', [], [999]],
  ] as const)('--corrupt-direction %s changes only that way', async (direction, upFlips, downFlips) => {
    expect(await flips({ corrupt: { after: 999, direction } })).toMatchObject({ up: upFlips, down: downFlips });
  });

  it('wirestate proxy takes it from the command line, and refuses a negative N', async () => {
    const upstream = await recordingUpstream(down);
    const port = await freePort();
    const proxy = spawn(process.execPath, [
      CLI,
      'proxy',
      '-l',
      String(port),
      '-s',
      `127.0.0.1:${upstream.port}`,
      '--corrupt-after',
      '4242',
      '--corrupt-direction',
      'up',
    ]);
    let output = '';
    proxy.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proxy.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let tries = 0; tries < 500 && !output.includes('stammer proxy on'); tries++) await delay(20);
    const back = await exchange(port, up);
    expect(differences(up, await upstream.received)).toEqual([4242]);
    expect(back).toEqual(down);
    proxy.kill('SIGTERM');
    await once(proxy, 'exit');
    // Read once the proxy has exited, having written every line it logged.
    expect(output).toMatch(/c>s: byte 4242 to be XORed with 0x[0-9a-f]{2}/);
    upstream.server.close();
    const refused = await wirestate(['proxy', '--corrupt-after', '-1']);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toMatch(/--corrupt-after must be a whole number >= 0/);
  });
});

describe('transfers through the stammer proxy', () => {
  let t: TestServer;
  let proxy: RunningProxy;
  beforeAll(async () => {
    t = await startTestServer();
    proxy = await stammerTo(t.port, { maxFragment: 4096, maxDelayMs: 1, seed: 7 });
    await writeFile(join(t.base, 'mib.bin'), randomBytes(1024 * 1024));
  });
  afterAll(async () => {
    await proxy.close();
    await t.stop();
  });

  it('the wirestate client moves 1 MiB up and back down identically', async () => {
    const via = `127.0.0.1:${proxy.address.port}`;
    expect(
      (await wirestate(['client', '-s', via, '-m', 'upload', '-l', 'mib.bin', '-v', 'mib.bin'], t.base)).code,
    ).toBe(EXIT.ok);
    expect((await wirestate(['client', '-s', via, '-v', 'mib.bin', '-l', 'back.bin'], t.base)).code).toBe(EXIT.ok);
    const expected = await sha256(join(t.base, 'mib.bin'));
    expect(await sha256(join(t.files.root, 'mib.bin'))).toBe(expected);
    expect(await sha256(join(t.base, 'back.bin'))).toBe(expected);
  });
});
