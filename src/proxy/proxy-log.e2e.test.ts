/** `wirestate proxy --log-format json`, a real process on loopback: every line an object with the relay's fields. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo } from 'node:net';
import { CLI, freePort } from '../test-support/processes';

type Line = Record<string, unknown>;

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A proxy process and its stdout, each line parsed as JSON (a plain line fails the parse). */
async function startJsonProxy(target: string, extra: string[] = []) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [
    CLI,
    'proxy',
    '--host',
    '127.0.0.1',
    '-l',
    '0',
    '-s',
    target,
    '--seed',
    '7',
    '--log-format',
    'json',
    ...extra,
  ]);
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const lines = (): Line[] =>
    output
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line);
  const until = async (found: (line: Line) => boolean): Promise<Line> => {
    // Bounded: at most this many reads of stdout, or the process's exit (jest's time-out bounds the wait).
    for (let reads = 0; reads < 10_000; reads++) {
      const line = lines().find(found);
      if (line) return line;
      const more = await Promise.race([once(child.stdout, 'data').then(() => true), exited.then(() => false)]);
      if (!more) break;
    }
    throw new Error(`no such line from the proxy:\n${output}`);
  };
  const start = await until((line) => line.event === 'start');
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { start, lines, until, stop };
}

/** Sends `text`, ends, and reads until the proxy ends or resets back. */
async function exchange(port: number, text: string): Promise<string> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  // A reset (the upstream down) closes it too, and may come before the connect is seen (`connect ECONNRESET`).
  socket.on('error', () => undefined);
  socket.end(text);
  let back = '';
  socket.on('data', (chunk: Buffer) => (back += chunk.toString()));
  await new Promise((resolve) => socket.once('close', resolve));
  return back;
}

it('a relayed connection: start, open and close lines carry listen, target, seed, peer, bytes each way, outcome, code', async () => {
  const upstream = createServer({ allowHalfOpen: true }, (socket) => {
    socket.once('end', () => socket.end('pong!\n'));
    socket.resume();
  });
  await once(upstream.listen(0, '127.0.0.1'), 'listening');
  const target = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const proxy = await startJsonProxy(target, ['--max-fragment', '5', '--max-delay-ms', '0']);
  try {
    expect(proxy.start).toMatchObject({
      level: 'info',
      listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      target,
      max_fragment: 5,
      max_delay_ms: 0,
      seed: 7,
    });
    const port = Number(String(proxy.start.listen).split(':')[1]);
    expect(await exchange(port, 'ping\n')).toBe('pong!\n');
    const close = await proxy.until((line) => line.event === 'close');
    const about = proxy.lines().filter((line) => line.connection === 'p1');
    expect(about.map((line) => line.event)).toEqual(['open', 'close']);
    for (const line of about) expect(line).toMatchObject({ peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/), target });
    expect(close).toMatchObject({
      level: 'info',
      bytes_up: 5,
      bytes_down: 6,
      outcome: 'relayed',
      code: 'ok',
      duration_ms: expect.any(Number),
    });
  } finally {
    await proxy.stop();
    upstream.close();
  }
});

it('upstream down: an error line in the words a client uses, code peer.unreachable, and the close says unreachable', async () => {
  const target = `127.0.0.1:${await freePort()}`;
  const proxy = await startJsonProxy(target);
  try {
    const port = Number(String(proxy.start.listen).split(':')[1]);
    expect(await exchange(port, 'anyone there?\n')).toBe('');
    const close = await proxy.until((line) => line.event === 'close');
    const error = proxy.lines().find((line) => line.event === 'error');
    expect(error).toMatchObject({
      level: 'error',
      connection: 'p1',
      target,
      code: 'peer.unreachable',
      errno: 'ECONNREFUSED',
      message: `cannot reach ${target}: connection refused (nothing listens there) (ECONNREFUSED)`,
    });
    expect(close).toMatchObject({ connection: 'p1', outcome: 'unreachable', code: 'peer.unreachable', bytes_down: 0 });
  } finally {
    await proxy.stop();
  }
});

it('--corrupt-after: the corrupt line says which way, which byte and the mask as fields', async () => {
  const upstream = createServer({ allowHalfOpen: true }, (socket) => {
    socket.once('end', () => socket.end());
    socket.resume();
  });
  await once(upstream.listen(0, '127.0.0.1'), 'listening');
  const proxy = await startJsonProxy(`127.0.0.1:${(upstream.address() as AddressInfo).port}`, [
    '--corrupt-after',
    '3',
    '--corrupt-direction',
    'up',
  ]);
  try {
    await exchange(Number(String(proxy.start.listen).split(':')[1]), 'abcdef');
    await proxy.until((line) => line.event === 'close');
    expect(proxy.lines().filter((line) => line.event === 'corrupt')).toEqual([
      expect.objectContaining({ connection: 'p1', direction: 'up', byte: 3, mask: expect.any(Number) }),
    ]);
  } finally {
    await proxy.stop();
    upstream.close();
  }
});
