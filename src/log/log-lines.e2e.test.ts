/** What the servers' logs say about connections, read from real server processes on loopback, in both formats. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLI,
  ardeiServerOnFreePorts,
  run,
  startCliServer,
  startServerCommand,
  wirestate,
  type ServerProcess,
} from '../test-support/processes';

let root: string;
const servers: ServerProcess[] = [];
const start = async (args: string[]) => {
  const server = await startCliServer([...args, '--host', '127.0.0.1']);
  servers.push(server);
  return server;
};
const sharedServers = new Map<string, Promise<ServerProcess>>();
/**
 * One server per argument list, for the tests that read only their clients' lines or read one connection each of a
 * kind the others do not make (TCP connections are c1, c2, ...; UDP ones u1, u2, ...): a spawn less each.
 */
const shared = (args: string[]) => {
  if (!sharedServers.has(args.join(' '))) sharedServers.set(args.join(' '), start(args));
  return sharedServers.get(args.join(' '))!;
};
/** A transfer server for the tests that read only their clients' lines. */
const sharedTransfer = () => shared(['server', '-l', '0', '--root', root]);
/** An ardei server whose TCP and UDP end lines are read by one test each. */
const sharedArdei = () => shared(['ardei', 'server', '--tcp-port', '0', '--udp-port', '0', '--idle-timeout', '1']);
/** The lines logged about connection `id` (`c1`, ...), once its last line is out. */
const linesAbout = async (server: ServerProcess, id: string) => {
  await server.logged(new RegExp(`\\[${id}\\] \\S+[^\\n]* in \\d+\\.\\d{3} s`));
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes(`[${id}]`));
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-log-lines-'));
  await writeFile(join(root, 'one.txt'), 'just one file\n');
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
});

it('a refusal says refused once, in words; the server logs warnings on stdout like every other line', async () => {
  const stderr = join(await mkdtemp(join(tmpdir(), 'wirestate-log-stderr-')), 'stderr.txt');
  const server = await startServerCommand([
    'sh',
    '-c',
    `exec "${process.execPath}" "${CLI}" blocks server 0 --host 127.0.0.1 --root "${root}" 2>"${stderr}"`,
  ]);
  servers.push(server);
  await wirestate(['blocks', 'client', `127.0.0.1:${server.port}:../outside.txt`, join(root, 'never.txt')]);
  const end = (await linesAbout(server, 'c1')).at(-1)!;
  // Nothing moved: no size, no rate, as a client's end line says it.
  expect(end).toMatch(/ refused \(a name that leads out of the served folder\) in \d+\.\d{3} s$/);
  expect(end).not.toContain('refused (refused');
  expect(end).toMatch(/ warn /);
  expect(await readFile(stderr, 'utf8')).toBe('');
});

it('an end line says why in words: a missing folder, an empty queue, one command', async () => {
  const transfer = await start(['server', '-l', '0', '--root', root]);
  const local = join(root, 'one.txt');
  const upload = ['client', '-m', 'upload', '-s', `127.0.0.1:${transfer.port}`, '-v', 'sub/new.txt', '-l', local];
  expect((await wirestate(upload)).code).toBe(4);
  expect((await linesAbout(transfer, 'c1')).at(-1)).toMatch(/ server error \(no such folder: sub\) in \d+\.\d{3} s$/);

  const queue = await start(['queue', 'server', '0', 'TCP']);
  expect((await wirestate(['queue', 'client', '127.0.0.1', String(queue.port), 'TCP', 'receive'])).code).toBe(3);
  expect((await linesAbout(queue, 'c1')).at(-1)).toMatch(/ empty queue \(no message waiting\) in \d+\.\d{3} s$/);

  const ardei = await startCliServer(ardeiServerOnFreePorts(root));
  servers.push(ardei);
  await ardei.logged(/ardei-advanced server listening on [\d.]+:\d+/);
  const advancedPort = /ardei-advanced server listening on [\d.]+:(\d+)/.exec(ardei.output())![1];
  const client = `"${process.execPath}" "${CLI}" ardei client --advanced --port ${advancedPort}`;
  expect((await run('sh', ['-c', `printf 'ls\\n' | ${client}`])).code).toBe(0);
  const end = (await linesAbout(ardei, 'c1')).at(-1)!;
  expect(end).toContain('quit (1 command): ');
});

it('client --log-format json: every line it logs is a JSON object with fields, with -d too', async () => {
  const transfer = await sharedTransfer();
  const here = await mkdtemp(join(tmpdir(), 'wirestate-log-client-'));
  for (const debug of [[], ['-d']]) {
    const local = join(here, `got${debug.length}.txt`);
    const args = ['client', '-s', `127.0.0.1:${transfer.port}`, '-v', 'one.txt', '-l', local, '--log-format', 'json'];
    const result = await wirestate([...args, ...debug]);
    expect(result.code).toBe(0);
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The start and the end name the same transfer: the end line had no peer or protocol.
    const transferFields = {
      protocol: 'transfer',
      peer: `127.0.0.1:${transfer.port}`,
      operation: 'download',
      name: 'one.txt',
    };
    expect(lines.find((line) => line.event === 'start')).toMatchObject(transferFields);
    expect(lines.at(-1)).toMatchObject({
      ...transferFields,
      event: 'end',
      outcome: 'downloaded',
      bytes: 14,
      exit_code: 0,
    });
  }
});

/** Every line `result` wrote on stderr, each parsed as one JSON object (a plain line fails the parse). */
const jsonLines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

it('sum, upper and queue clients --log-format json: every stderr line is a JSON object with fields', async () => {
  const sum = await start(['sum', 'server', '0', '--number', '15']);
  const upper = await start(['upper', 'server', '0']);
  const queue = await start(['queue', 'server', '0', 'TCP']);
  const json = ['--log-format', 'json'];
  const peer = (port: number) => `127.0.0.1:${port}`;

  const refused = await wirestate(['sum', 'client', '--port', String(sum.port), 'Eve', '0', ...json]);
  expect(refused.code).toBe(3);
  expect(jsonLines(refused.stderr).at(-1)).toMatchObject({
    level: 'error',
    protocol: 'sum',
    peer: peer(sum.port),
    operation: 'sum',
    outcome: 'refused',
    exit_code: 3,
    message: expect.stringContaining('refused by the server'),
  });

  const answered = await wirestate(['upper', 'client', '--port', String(upper.port), 'hi', ...json]);
  expect(answered.stdout).toBe('Message received: HI\n');
  expect(jsonLines(answered.stderr).at(-1)).toMatchObject({
    protocol: 'upper',
    peer: peer(upper.port),
    operation: 'upper',
    outcome: 'replied',
    bytes: 2,
    duration_ms: expect.any(Number),
    exit_code: 0,
  });

  const message = join(root, 'one.txt');
  const queueArgs = ['queue', 'client', '127.0.0.1', String(queue.port), 'TCP'];
  const sent = await wirestate([...queueArgs, 'send', message, ...json]);
  expect(sent.code).toBe(0);
  const sentLines = jsonLines(sent.stderr);
  expect(sentLines.find((line) => line.message === 'Sent: 14 bytes')).toMatchObject({
    protocol: 'queue',
    peer: peer(queue.port),
    operation: 'send',
    outcome: 'sent',
  });
  expect(sentLines.at(-1)).toMatchObject({ event: 'end', outcome: 'sent', exit_code: 0 });
  const received = await wirestate([...queueArgs, 'receive', ...json]);
  expect(received.stdout).toBe('just one file\n\n');
  expect(jsonLines(received.stderr).at(-1)).toMatchObject({ operation: 'receive', outcome: 'received', bytes: 15 });
  const empty = await wirestate([...queueArgs, 'receive', ...json]);
  expect(empty.code).toBe(3);
  expect(
    jsonLines(empty.stderr).find((line) => line.message === 'Received: Error - no messages in queue.'),
  ).toMatchObject({ operation: 'receive', outcome: 'queue_empty' });
});

it('client --log-format json, a failed transfer: one end line, with name, operation and duration_ms, with -d too', async () => {
  const transfer = await sharedTransfer();
  const here = await mkdtemp(join(tmpdir(), 'wirestate-log-client-'));
  const server = `127.0.0.1:${transfer.port}`;
  // Each outcome once, one without -d and one with it: the end line is one code path for both outcomes.
  const runs = [
    {
      args: ['-v', 'nothere.txt', '-l', join(here, 'x.txt')],
      end: { operation: 'download', name: 'nothere.txt', outcome: 'refused' },
    },
    {
      args: ['-m', 'upload', '-l', join(root, 'one.txt'), '-v', 'no/such/folder.txt', '-d'],
      end: { operation: 'upload', name: 'no/such/folder.txt', outcome: 'server_error' },
    },
  ];
  for (const { args, end } of runs) {
    const result = await wirestate(['client', '-s', server, ...args, '--log-format', 'json']);
    const ends = jsonLines(result.stderr).filter((line) => line.event === 'end');
    // Before: no duration_ms; with -d a second end line first, the session's, without name or operation.
    expect(ends).toEqual([expect.objectContaining(end)]);
    expect(ends[0].duration_ms).toEqual(expect.any(Number));
  }
});

it('client --list --log-format json: a start and an end object, no plain line', async () => {
  const transfer = await sharedTransfer();
  const result = await wirestate(['client', '-s', `127.0.0.1:${transfer.port}`, '--list', '--log-format', 'json']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/ one\.txt\n$/);
  // Before: the one line `1 file on 127.0.0.1:PORT`, which is not JSON.
  const lines = jsonLines(result.stderr);
  expect(lines[0]).toMatchObject({ event: 'start', operation: 'list', peer: `127.0.0.1:${transfer.port}` });
  expect(lines.at(-1)).toMatchObject({
    event: 'end',
    operation: 'list',
    outcome: 'listed',
    code: 'ok',
    exit_code: 0,
    duration_ms: expect.any(Number),
    message: `1 file on 127.0.0.1:${transfer.port}`,
  });
});

it('--log-format json, sum: the line of a number that stops the server names the operation', async () => {
  const server = await start(['sum', 'server', '0', '--log-format', 'json']);
  expect((await wirestate(['sum', 'client', '--port', String(server.port), 'Eve', '0'])).code).toBe(3);
  await server.logged(/"connection":"c1"[^\n]*"event":"end"/);
  const end = server
    .output()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line.connection === 'c1' && line.event === 'end');
  expect(end).toMatchObject({ operation: 'sum', outcome: 'stopped' });
});

it('--log-format json, ardei --advanced: each command line names its operation and name; the key is no request', async () => {
  const ardei = await startCliServer([...ardeiServerOnFreePorts(root), '--log-format', 'json']);
  servers.push(ardei);
  const pattern = /"ardei-advanced server listening on [\d.]+:(\d+)"/;
  await ardei.logged(pattern);
  const client = `"${process.execPath}" "${CLI}" ardei client --advanced --port ${pattern.exec(ardei.output())![1]}`;
  expect(
    (
      await run('sh', ['-c', `printf 'dl one.txt\\nquit\\n' | ${client}`], {
        cwd: await mkdtemp(join(tmpdir(), 'wirestate-log-dl-')),
      })
    ).code,
  ).toBe(0);
  await ardei.logged(/"connection":"c1"[^\n]*"event":"end"/);
  const lines = jsonLines(ardei.output()).filter((line) => line.connection === 'c1');
  expect(lines.find((line) => line.message === 'client key accepted')).toMatchObject({ event: 'key' });
  expect(lines.filter((line) => line.event === 'request')).toEqual([
    expect.objectContaining({ operation: 'dl', name: 'one.txt' }),
    expect.objectContaining({ operation: 'quit' }),
  ]);
  expect(lines.at(-1)).toMatchObject({ event: 'end', operation: 'quit', outcome: 'quit' });
});

it('an echo counts the bytes it sent back', async () => {
  const server = await sharedArdei();
  expect((await wirestate(['ardei', 'client', '--port', String(server.port), 'hello there'])).stdout).toContain(
    'HELLO THERE',
  );
  expect((await linesAbout(server, 'c1')).at(-1)).toMatch(/echoed: 11 B in \d+\.\d{3} s \(\d+(\.\d+)? (B|KiB)\/s\)$/);
});

it("a UDP peer's end line gives no rate: its life ends with the quiet period that ends it", async () => {
  const server = await sharedArdei();
  await server.logged(/\(UDP\)/);
  const udpPort = /listening on 127\.0\.0\.1:(\d+) \(UDP\)/.exec(server.output())![1];
  expect((await wirestate(['ardei', 'client', '--udp', '--port', udpPort, 'hello'])).stdout).toContain('HELLO');
  expect((await linesAbout(server, 'u1')).at(-1)).toMatch(/served \(1 request\): 5 B in \d+\.\d{3} s$/);
});

it('a listing of one name says "1 name", and a small transfer gives its rate in a unit that shows it', async () => {
  const server = await start(['share', 'server', '0', '--root', root]);
  expect((await wirestate(['share', 'client', '127.0.0.1', String(server.port), 'list'])).stdout).toBe('one.txt\n');
  const end = (await linesAbout(server, 'c1')).at(-1)!;
  expect(end).toMatch(/listed \(1 name\): 9 B in \d+\.\d{3} s \(\d+(\.\d+)? (B|KiB)\/s\)$/);
  expect(end).not.toContain('MiB/s');
});

it('--log-format json: every line about a connection carries its fields', async () => {
  const server = await start(['share', 'server', '0', '--root', root, '--log-format', 'json']);
  const here = await mkdtemp(join(tmpdir(), 'wirestate-log-get-'));
  await wirestate(['share', 'client', '127.0.0.1', String(server.port), 'get', 'missing.txt'], here);
  await wirestate(['share', 'client', '127.0.0.1', String(server.port), 'get', 'one.txt'], here);
  await server.logged(/"connection":"c2"[^\n]*"event":"end"/);
  const lines = server
    .output()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const about = (id: string) => lines.filter((line) => line.connection === id);
  for (const line of [...about('c1'), ...about('c2')]) {
    expect(line).toMatchObject({ protocol: 'share', peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  }
  expect(about('c1').at(-1)).toMatchObject({
    event: 'end',
    operation: 'get',
    name: 'missing.txt',
    outcome: 'cancelled',
    bytes: 0,
    duration_ms: expect.any(Number),
  });
  expect(about('c2').at(-1)).toMatchObject({
    event: 'end',
    operation: 'get',
    name: 'one.txt',
    outcome: 'sent',
    bytes: 14,
  });
  expect(about('c2').find((line) => line.event === 'request')).toMatchObject({ operation: 'get', name: 'one.txt' });
});

it.each([
  ['upper', ['upper', 'server', '0'], (port: number) => ['upper', 'client', '--port', String(port), 'hi'], 'upper', 2],
  [
    'sum',
    ['sum', 'server', '0', '--number', '15'],
    (port: number) => ['sum', 'client', '--port', String(port), 'Al', '4'],
    'sum',
    'Server of wirestate\n15\n'.length,
  ],
  [
    'ardei',
    ['ardei', 'server', '--tcp-port', '0', '--udp-port', '0'],
    (port: number) => ['ardei', 'client', '--port', String(port), 'hi'],
    'echo',
    2,
  ],
])(
  '--log-format json, %s: the request line names the operation, the last line counts the reply',
  async (_name, serverArgs, clientArgs, operation, bytes) => {
    const server = await start([...serverArgs, '--log-format', 'json']);
    expect((await wirestate(clientArgs(server.port))).code).toBe(0);
    await server.logged(/"connection":"c1"[^\n]*"event":"end"/);
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.connection === 'c1');
    expect(lines.find((line) => line.event === 'request')).toMatchObject({ operation });
    expect(lines.at(-1)).toMatchObject({ event: 'end', operation, bytes, outcome: expect.any(String) });
  },
);
