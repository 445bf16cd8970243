/**
 * `--log-format json` lines a log reader matches on, as real processes: state lines with the same fields in a
 * server and a client, an end line whose fields name the cause its prose says, no size or rate for nothing moved.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import {
  startCliServer,
  startServerProcess,
  wirestate,
  type Finished,
  type ServerProcess,
} from '../test-support/processes';

let base: string;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-json-fields-'));
  await writeFile(join(base, 'server.txt'), 'hello\n');
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
  await rm(base, { recursive: true, force: true });
});
const started = (server: ServerProcess) => (servers.push(server), server);

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** A download with -d, both sides logging JSON: a server started for it, and its client; run once, read by two tests. */
let debugRun: Promise<{ server: ServerProcess; client: Finished }> | undefined;
const debugDownload = () =>
  (debugRun ??= (async () => {
    const server = started(await startServerProcess(['--root', base, '-d', '--log-format', 'json']));
    const client = await wirestate(
      ['client', '-s', `127.0.0.1:${server.port}`, '-l', '-', '-d', '--log-format', 'json'],
      base,
    );
    await server.logged(/"event":"end"/);
    return { server, client };
  })());

it('-d: a server and a client log each state with the same fields (connection, event state, state)', async () => {
  const { server, client } = await debugDownload();
  expect(client.code).toBe(EXIT.ok);
  // Every debug line is a state's, but for the server's one line saying the hello was answered.
  const stateLines = (lines: Record<string, unknown>[]) =>
    lines.filter((line) => line.level === 'debug' && line.event !== 'hello');
  const clientStates = stateLines(jsonLines(client.stderr));
  const serverStates = stateLines(jsonLines(server.output()));
  expect(jsonLines(server.output()).filter((line) => line.event === 'hello')).toEqual([
    expect.objectContaining({ level: 'debug', message: 'hello: agreed stored, sha256, list, resume' }),
  ]);
  for (const [states, connection] of [
    [clientStates, 'client'],
    [serverStates, expect.stringMatching(/^c\d+$/)],
  ] as const) {
    expect(states.length).toBeGreaterThan(0);
    for (const line of states)
      expect(line).toEqual({
        level: 'debug',
        connection,
        event: 'state',
        state: expect.any(String),
        message: `state ${String(line.state)}`,
        peer: expect.any(String),
        protocol: 'transfer',
        timestamp: expect.any(String),
      });
  }
  expect(clientStates.map((line) => line.state)).toContain('wait_hello_reply');
  expect(serverStates.map((line) => line.state)).toContain('check_download');
});

it('a download into a folder that takes no new files: the end line names that cause, not no room', async () => {
  const server = started(await startServerProcess(['--root', base]));
  const result = await wirestate(
    ['client', '-s', `127.0.0.1:${server.port}`, '-l', '/proc/version', '--log-format', 'json'],
    base,
  );
  expect(result.code).toBe(EXIT.localFile);
  const end = jsonLines(result.stderr).find((line) => line.event === 'end');
  expect(end).toMatchObject({
    level: 'error',
    message: 'cannot create a file in /proc: it takes no new files',
    outcome: 'local_error',
    code: 'file.unwritable',
    exit_code: EXIT.localFile,
  });
});

it('queue receive on an empty queue: its end line gives no size or rate', async () => {
  const queue = started(await startCliServer(['queue', 'server', '0', 'TCP', '--host', '127.0.0.1']));
  const result = await wirestate(
    ['queue', 'client', '127.0.0.1', String(queue.port), 'tcp', 'receive', '--log-format', 'json'],
    base,
  );
  expect(result.code).toBe(EXIT.refused);
  const end = jsonLines(result.stderr).find((line) => line.event === 'end');
  expect(end).toMatchObject({
    outcome: 'queue_empty',
    bytes: 0,
    message: expect.stringMatching(/^empty queue in \d+\.\d\d s$/),
  });
});

// Before: the line had only level, message and timestamp.
it('a server that never answers the hello: the "no reply to hello" line carries the transfer\'s fields', async () => {
  const taken: Socket[] = [];
  const silent = createServer((socket) => taken.push(socket.on('error', () => undefined)));
  await once(silent.listen(0, '127.0.0.1'), 'listening');
  const peer = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    // Nothing answers the hello nor, after it, the plain request: the client gives up after its idle timeout.
    const client = await wirestate(
      [
        'client',
        '-s',
        peer,
        '-v',
        'server.txt',
        '-l',
        '-',
        '--hello-wait',
        '1',
        '--idle-timeout',
        '1',
        '--log-format',
        'json',
      ],
      base,
    );
    const fallBack = jsonLines(client.stderr).find((line) => String(line.message).startsWith('no reply to hello'));
    expect(fallBack).toMatchObject({
      level: 'info',
      event: 'plain_fallback',
      connection: expect.stringMatching(/\S/) as unknown,
      operation: 'download',
      name: 'server.txt',
      path: '-',
      peer,
      hello_wait_s: 1,
    });
  } finally {
    for (const socket of taken) socket.destroy();
    silent.close();
  }
});

// The -d run's server: its debug lines too.
it("every line of a server's JSON log names its event (the `connected from` line had none)", async () => {
  const { server, client } = await debugDownload();
  expect(client.code).toBe(EXIT.ok);
  const lines = jsonLines(server.output());
  expect(lines.filter((line) => typeof line.event !== 'string')).toEqual([]);
  expect(lines.find((line) => String(line.message).startsWith('connected from'))).toMatchObject({
    event: 'connected',
    connection: expect.stringMatching(/^c\d+$/),
    peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    protocol: 'transfer',
  });
});

it("a server's cut line names its event and the limit: `cut`, `code` (it had neither)", async () => {
  const server = started(
    await startServerProcess(['--root', base, '--log-format', 'json', '--request-timeout', '0.5']),
  );
  const silent = connect(server.port, '127.0.0.1');
  try {
    await once(silent, 'connect');
    await server.logged(/"event":"cut"/);
    expect(jsonLines(server.output()).find((line) => line.event === 'cut')).toMatchObject({
      code: 'request_timeout',
      connection: expect.stringMatching(/^c\d+$/),
      peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      message: expect.stringMatching(/^cut 127\.0\.0\.1:\d+: request not complete within 0\.5 s/),
    });
  } finally {
    silent.destroy();
  }
});
