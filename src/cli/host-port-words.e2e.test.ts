/** An IPv6 host is printed as `-s` takes it, in brackets, by the client, the queue, upper and sum clients and the proxy. Before: "cannot connect to ::1:50001", peer "::1:PORT", "stammer proxy on ::1:PORT", the UDP queue server's "datagram from new peer ::1:40118". */
import { EXIT } from '../engine/exit-codes';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import { CLI, freePort, wirestate } from '../test-support/processes';

it('client -s [::1]:PORT with nothing listening: "cannot connect to [::1]:PORT", exit 6', async () => {
  const port = await freePort();
  const result = await wirestate(['client', '-s', `[::1]:${port}`, '-v', 'speech.txt', '-l', '-', '--plain']);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toMatch(new RegExp(`^wirestate client: cannot connect to \\[::1\\]:${port}: `, 'm'));
});

it('queue client ::1 PORT TCP with nothing listening: its JSON end line names the peer [::1]:PORT, exit 6', async () => {
  const port = await freePort();
  const result = await wirestate(['queue', 'client', '::1', String(port), 'TCP', 'receive', '--log-format', 'json']);
  expect(result.code).toBe(EXIT.cannotConnect);
  const end = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.event === 'end');
  expect(end).toMatchObject({ peer: `[::1]:${port}`, outcome: 'not_started' });
});

it('upper client --host ::1 with nothing listening: its JSON end line names the peer [::1]:PORT, exit 6', async () => {
  const port = await freePort();
  const result = await wirestate([
    'upper',
    'client',
    '--host',
    '::1',
    '--port',
    String(port),
    'hi',
    '--log-format',
    'json',
  ]);
  expect(result.code).toBe(EXIT.cannotConnect);
  const end = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.event === 'end');
  expect(end).toMatchObject({ peer: `[::1]:${port}`, outcome: 'not_started' });
});

it('proxy on ::1 to [::1]:PORT with nothing there: the start line and the failure print both in brackets', async () => {
  const port = await freePort();
  const proxy = spawn(process.execPath, [CLI, 'proxy', '--host', '::1', '-l', '0', '-s', `[::1]:${port}`]);
  let output = '';
  proxy.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proxy.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(proxy, 'exit');
  /** The first match of `pattern` in the proxy's output, waiting at most 100 reads and 20 s for it (then the proxy is stopped). */
  const logged = async (pattern: RegExp) => {
    const giveUp = setTimeout(() => proxy.kill('SIGTERM'), 20_000);
    try {
      for (let reads = 0; reads < 100; reads++) {
        const match = pattern.exec(output);
        if (match) return match;
        await Promise.race([once(proxy.stdout, 'data'), once(proxy.stderr, 'data'), exited]);
        if (proxy.exitCode !== null || proxy.signalCode !== null) break;
      }
      throw new Error(`no line matching ${pattern} from the proxy:\n${output}`);
    } finally {
      clearTimeout(giveUp);
    }
  };
  try {
    const [, listen] = await logged(/stammer proxy on \[::1\]:(\d+) -> \[::1\]:(\d+),/);
    expect(output).toContain(`-> [::1]:${port},`);
    const socket = connect({ host: '::1', port: Number(listen) });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('close', resolve));
    await logged(new RegExp(`cannot reach \\[::1\\]:${port}: connection refused`));
  } finally {
    proxy.kill('SIGTERM');
    await exited;
  }
});

it('queue server on UDP ::1: a peer is logged as [::1]:PORT, as -s takes it', async () => {
  const server = spawn(process.execPath, [CLI, 'queue', 'server', '0', 'UDP', '--host', '::1']);
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const giveUp = setTimeout(() => server.kill('SIGTERM'), 20_000);
  const until = async (pattern: RegExp) => {
    for (let reads = 0; reads < 50 && !pattern.test(output); reads++)
      await Promise.race([new Promise((resolve) => server.stdout.once('data', resolve)), exited]);
    return pattern.exec(output);
  };
  const port = Number((await until(/listening on \[::1\]:(\d+)/))?.[1]);
  const peer = createSocket('udp6');
  await new Promise<void>((bound) => peer.bind(0, '::1', bound));
  await new Promise((sent) => peer.send(Buffer.from('x'), port, '::1', sent));
  const logged = await until(/datagram from new peer (\S+)/);
  const peerPort = peer.address().port;
  peer.close();
  clearTimeout(giveUp);
  server.kill('SIGTERM');
  await exited;
  expect(logged?.[1]).toBe(`[::1]:${peerPort}`);
});
