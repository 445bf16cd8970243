/**
 * `--json` on every protocol's client: real client processes against real servers on loopback; stdout holds
 * one JSON object and nothing else, for a success and a failure of each; errors stay one line on stderr.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, freePort, run, startCliServer, type Finished, type ServerProcess } from '../test-support/processes';

let root: string;
const servers: ServerProcess[] = [];
const TEXT = 'a file for every client\n';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-json-'));
  await writeFile(join(root, 'speech.txt'), TEXT);
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
  await rm(root, { recursive: true, force: true });
});

const start = async (args: string[]) => {
  const server = await startCliServer([...args, '--host', '127.0.0.1']);
  servers.push(server);
  return server;
};
/** The port a server with several listeners logged for `name`. */
const portOf = async (server: ServerProcess, name: string) => {
  const pattern = new RegExp(`${name} server listening on [\\d.]+:(\\d+)`);
  await server.logged(pattern);
  return pattern.exec(server.output())![1];
};

/** Runs `wirestate ARGS --json` in the temp folder, `input` piped to its stdin. */
const client = (args: string[], input = '') =>
  run('sh', ['-c', 'printf "%s" "$0" | "$@"', input, process.execPath, CLI, ...args, '--json'], { cwd: root });

/** Stdout is one line holding one object. */
function resultOf(finished: Finished): Record<string, unknown> {
  const lines = finished.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  const result = JSON.parse(lines[0]) as Record<string, unknown>;
  expect(result).toMatchObject({ duration_ms: expect.any(Number), exit_code: finished.code });
  return result;
}

/** A failure's one error line, `wirestate NAME client: ...`. */
const errorLine = (finished: Finished, name: string) => {
  expect(finished.stderr).toMatch(new RegExp(`^wirestate ${name} client: [^\\n]+\\n$`));
  return finished.stderr.trim();
};

it('upper client: the answer it prints is the output; cannot connect is exit 6, not_started', async () => {
  const server = await start(['upper', 'server', '0']);
  const ok = await client(['upper', 'client', '--port', String(server.port), 'hello', 'there']);
  expect(ok.code).toBe(EXIT.ok);
  expect(resultOf(ok)).toMatchObject({
    ok: true,
    operation: 'upper',
    name: 'hello there',
    outcome: 'replied',
    bytes: 11,
    output: 'Message received: HELLO THERE\n',
  });

  const closed = await client(['upper', 'client', '--port', String(await freePort()), 'hello']);
  expect(closed.code).toBe(EXIT.cannotConnect);
  expect(resultOf(closed)).toMatchObject({
    ok: false,
    outcome: 'not_started',
    detail: errorLine(closed, 'upper').replace('wirestate upper client: ', ''),
    bytes: 0,
  });
});

it('sum client: both names, both numbers and the sum as output; a number out of range is refused (exit 3)', async () => {
  const server = await start(['sum', 'server', '0', '--number', '7']);
  const ok = await client(['sum', 'client', '--port', String(server.port), 'Alice', '5']);
  expect(ok.code).toBe(EXIT.ok);
  expect(resultOf(ok)).toMatchObject({
    ok: true,
    operation: 'sum',
    name: 'Alice',
    outcome: 'replied',
    output: 'Client name: Alice\nServer name: Server of wirestate\nClient number: 5\nServer number: 7\nSum: 12\n',
  });

  const out = await client(['sum', 'client', '--port', String(server.port), 'Alice', '0']);
  expect(out.code).toBe(EXIT.refused);
  expect(resultOf(out)).toMatchObject({ ok: false, outcome: 'refused' });
  errorLine(out, 'sum');
});

it('queue client: send, then receive with the message as output, then an empty queue (exit 3)', async () => {
  const server = await start(['queue', 'server', '0', 'TCP']);
  const queue = (...rest: string[]) => client(['queue', 'client', '127.0.0.1', String(server.port), 'TCP', ...rest]);
  const sent = await queue('send', 'speech.txt');
  expect(sent.code).toBe(EXIT.ok);
  expect(resultOf(sent)).toMatchObject({ ok: true, operation: 'send', path: 'speech.txt', outcome: 'sent' });
  expect(sent.stderr).toBe('');

  const received = await queue('receive');
  expect(received.code).toBe(EXIT.ok);
  expect(resultOf(received)).toMatchObject({
    ok: true,
    operation: 'receive',
    outcome: 'received',
    output: `${TEXT}\n`,
  });

  const empty = await queue('receive');
  expect(empty.code).toBe(EXIT.refused);
  expect(resultOf(empty)).toMatchObject({ ok: false, operation: 'receive', outcome: 'queue_empty', bytes: 0 });
});

it('transfer client: a download and an upload from stdin name the local path as given (- for stdin)', async () => {
  const server = await start(['server', '-l', '0', '--root', root]);
  const at = `127.0.0.1:${server.port}`;
  const downloaded = await client(['client', '-s', at, '-v', 'speech.txt', '-l', 'transfer-copy.txt']);
  expect(downloaded.code).toBe(EXIT.ok);
  expect(resultOf(downloaded)).toMatchObject({
    ok: true,
    operation: 'download',
    name: 'speech.txt',
    path: 'transfer-copy.txt',
    outcome: 'downloaded',
    bytes: TEXT.length,
  });

  const uploaded = await client(['client', '-s', at, '-m', 'upload', '-l', '-', '-v', 'from-stdin.txt'], TEXT);
  expect(uploaded.code).toBe(EXIT.ok);
  expect(resultOf(uploaded)).toMatchObject({ ok: true, operation: 'upload', name: 'from-stdin.txt', path: '-' });
  expect(await readFile(join(root, 'from-stdin.txt'), 'utf8')).toBe(TEXT);
});

it('blocks client: a download names the file and where it went; a missing file is refused (exit 3)', async () => {
  const server = await start(['blocks', 'server', '0', '--root', root]);
  const ok = await client(['blocks', 'client', `127.0.0.1:${server.port}:speech.txt`, 'blocks-copy.txt']);
  expect(ok.code).toBe(EXIT.ok);
  expect(resultOf(ok)).toMatchObject({
    ok: true,
    operation: 'download',
    name: 'speech.txt',
    path: 'blocks-copy.txt',
    outcome: 'downloaded',
    bytes: TEXT.length,
  });
  expect(await readFile(join(root, 'blocks-copy.txt'), 'utf8')).toBe(TEXT);

  const missing = await client(['blocks', 'client', `127.0.0.1:${server.port}:nope.txt`, 'nope.txt']);
  expect(missing.code).toBe(EXIT.refused);
  expect(resultOf(missing)).toMatchObject({ ok: false, name: 'nope.txt', outcome: 'refused', bytes: 0 });
  errorLine(missing, 'blocks');
});

it('share client: list prints the names as output, get of a missing name is cancelled (exit 3)', async () => {
  const server = await start(['share', 'server', '0', '--root', root]);
  const share = (...rest: string[]) => client(['share', 'client', '127.0.0.1', String(server.port), ...rest]);
  const listed = await share('list');
  expect(listed.code).toBe(EXIT.ok);
  expect(resultOf(listed)).toMatchObject({ ok: true, operation: 'list', outcome: 'listed' });
  expect((resultOf(listed).output as string).split('\n')).toContain('speech.txt');

  const got = await share('get', 'speech.txt', '-o', 'share-copy.txt');
  expect(resultOf(got)).toMatchObject({ ok: true, operation: 'get', path: 'share-copy.txt', bytes: TEXT.length });

  const missing = await share('get', 'nope.txt');
  expect(missing.code).toBe(EXIT.refused);
  expect(resultOf(missing)).toMatchObject({ ok: false, operation: 'get', name: 'nope.txt', outcome: 'cancelled' });
  errorLine(missing, 'share');
});

it('ardei client over TCP, UDP and --advanced: the report or replies as output; refusals exit 3', async () => {
  const server = await start([
    'ardei',
    'server',
    '--tcp-port',
    '0',
    '--udp-port',
    '0',
    '--advanced',
    '0',
    '--root',
    root,
  ]);
  const [tcp, udp, advanced] = [
    await portOf(server, 'ardei'),
    await portOf(server, 'ardei-udp'),
    await portOf(server, 'ardei-advanced'),
  ];
  const echoed = await client(['ardei', 'client', '--port', tcp, 'hello']);
  expect(echoed.code).toBe(EXIT.ok);
  expect(resultOf(echoed)).toMatchObject({ ok: true, operation: 'request', name: 'hello', output: 'HELLO\n' });

  const overUdp = await client(['ardei', 'client', '--udp', '--port', udp, '1000000']);
  expect(overUdp.code).toBe(EXIT.refused);
  expect(resultOf(overUdp)).toMatchObject({
    ok: false,
    name: '1000000',
    output: 'Error: this server sends at most 65536 bytes a request over UDP; ask over TCP\n',
  });

  const listed = await client(['ardei', 'client', '--advanced', '--port', advanced], 'ls\n');
  expect(listed.code).toBe(EXIT.ok);
  expect(resultOf(listed)).toMatchObject({ ok: true, operation: 'advanced', outcome: 'quit' });
  expect(resultOf(listed).output).toContain('speech.txt');

  const refused = await client(['ardei', 'client', '--advanced', '--port', advanced], 'dl nope.txt\n');
  expect(refused.code).toBe(EXIT.refused);
  expect(resultOf(refused)).toMatchObject({ ok: false, outcome: 'refused', output: 'Invalid File!\n' });
  errorLine(refused, 'ardei');
});

it('--json and a file written to stdout are refused together (exit 2)', async () => {
  for (const args of [
    ['blocks', 'client', '127.0.0.1:1:speech.txt', '-'],
    ['share', 'client', '127.0.0.1', '1', 'get', 'speech.txt', '-o', '-'],
  ]) {
    const both = await client(args);
    expect(both).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(both.stderr).toMatch(/^wirestate: --json and .+ both write to stdout: pick one; see --help\n$/);
  }
});
