/**
 * `--json` on every protocol's client: real client processes against real servers on loopback; stdout holds
 * one JSON object and nothing else, for a success and a failure of each; errors stay one line on stderr.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import {
  CLI,
  ardeiServerOnFreePorts,
  freePort,
  run,
  startCliServer,
  type Finished,
  type ServerProcess,
} from '../test-support/processes';

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

/** Starts the server command `args` (which names its host), stopped after all tests. */
const started = async (args: string[]) => {
  const server = await startCliServer(args);
  servers.push(server);
  return server;
};
/** Starts the server command `args` on loopback. */
const start = (args: string[]) => started([...args, '--host', '127.0.0.1']);
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

/** Runs the client (as `client` does), expects exit `code` and a result holding `shape`; returns both. */
async function expectResult(args: string[], code: number, shape: Record<string, unknown>, input?: string) {
  const finished = await client(args, input);
  expect(finished.code).toBe(code);
  const result = resultOf(finished);
  expect(result).toMatchObject(shape);
  return { finished, result };
}

/** A failure's one error line, `wirestate NAME client: ...`. */
const errorLine = (finished: Finished, name: string) => {
  expect(finished.stderr).toMatch(new RegExp(`^wirestate ${name} client: [^\\n]+\\n$`));
  return finished.stderr.trim();
};

it('upper client: the answer it prints is the output; cannot connect is exit 6, not_started', async () => {
  const server = await start(['upper', 'server', '0']);
  await expectResult(['upper', 'client', '--port', String(server.port), 'hello', 'there'], EXIT.ok, {
    ok: true,
    operation: 'upper',
    name: 'hello there',
    outcome: 'replied',
    bytes: 11,
    output: 'Message received: HELLO THERE\n',
  });

  const closed = await expectResult(
    ['upper', 'client', '--port', String(await freePort()), 'hello'],
    EXIT.cannotConnect,
    {
      ok: false,
      outcome: 'not_started',
      code: 'peer.unreachable',
      bytes: 0,
    },
  );
  expect(closed.result.detail).toBe(errorLine(closed.finished, 'upper').replace('wirestate upper client: ', ''));
});

it('transfer client and --list that cannot connect: exit 6, not_started, code peer.unreachable', async () => {
  // Before, the object had no code at all.
  const port = String(await freePort());
  for (const args of [
    ['client', '-s', `127.0.0.1:${port}`, '-v', 'a.txt', '-l', 'a.txt'],
    ['client', '-s', `127.0.0.1:${port}`, '--list'],
  ])
    await expectResult(args, EXIT.cannotConnect, { ok: false, outcome: 'not_started', code: 'peer.unreachable' });
});

it('a client whose --inspect port is taken: exit 8, not_started, code inspect.unavailable', async () => {
  // Before, the object said only not_started, which names no cause.
  const taken = await start(['upper', 'server', '0']);
  const port = await portOf(taken, 'upper');
  await expectResult(
    ['upper', 'client', '--port', String(await freePort()), '--inspect', port, 'hi'],
    EXIT.cannotListen,
    {
      ok: false,
      outcome: 'not_started',
      code: 'inspect.unavailable',
    },
  );
});

it('sum client: both names, both numbers and the sum as output; a number out of range is refused (exit 3)', async () => {
  const server = await start(['sum', 'server', '0', '--number', '7']);
  await expectResult(['sum', 'client', '--port', String(server.port), 'Alice', '5'], EXIT.ok, {
    ok: true,
    operation: 'sum',
    name: 'Alice',
    outcome: 'replied',
    output: 'Client name: Alice\nServer name: Server of wirestate\nClient number: 5\nServer number: 7\nSum: 12\n',
  });

  const out = await expectResult(['sum', 'client', '--port', String(server.port), 'Alice', '0'], EXIT.refused, {
    ok: false,
    outcome: 'refused',
  });
  errorLine(out.finished, 'sum');
});

it('queue client: send, then receive with the message as output, then an empty queue (exit 3)', async () => {
  const server = await start(['queue', 'server', '0', 'TCP']);
  const queue = (rest: string[], code: number, shape: Record<string, unknown>) =>
    expectResult(['queue', 'client', '127.0.0.1', String(server.port), 'TCP', ...rest], code, shape);
  const sent = await queue(['send', 'speech.txt'], EXIT.ok, {
    ok: true,
    operation: 'send',
    path: 'speech.txt',
    outcome: 'sent',
  });
  expect(sent.finished.stderr).toBe('');

  await queue(['receive'], EXIT.ok, { ok: true, operation: 'receive', outcome: 'received', output: `${TEXT}\n` });
  await queue(['receive'], EXIT.refused, { ok: false, operation: 'receive', outcome: 'queue_empty', bytes: 0 });
});

it('transfer client: a download and an upload from stdin name the local path as given (- for stdin)', async () => {
  const server = await start(['server', '-l', '0', '--root', root]);
  const at = `127.0.0.1:${server.port}`;
  await expectResult(['client', '-s', at, '-v', 'speech.txt', '-l', 'transfer-copy.txt'], EXIT.ok, {
    ok: true,
    operation: 'download',
    name: 'speech.txt',
    path: 'transfer-copy.txt',
    outcome: 'downloaded',
    bytes: TEXT.length,
  });

  await expectResult(
    ['client', '-s', at, '-m', 'upload', '-l', '-', '-v', 'from-stdin.txt'],
    EXIT.ok,
    { ok: true, operation: 'upload', name: 'from-stdin.txt', path: '-' },
    TEXT,
  );
  expect(await readFile(join(root, 'from-stdin.txt'), 'utf8')).toBe(TEXT);
});

it('blocks client: a download names the file and where it went; a missing file is refused (exit 3)', async () => {
  const server = await start(['blocks', 'server', '0', '--root', root]);
  await expectResult(['blocks', 'client', `127.0.0.1:${server.port}:speech.txt`, 'blocks-copy.txt'], EXIT.ok, {
    ok: true,
    operation: 'download',
    name: 'speech.txt',
    path: 'blocks-copy.txt',
    outcome: 'downloaded',
    bytes: TEXT.length,
  });
  expect(await readFile(join(root, 'blocks-copy.txt'), 'utf8')).toBe(TEXT);

  const missing = await expectResult(
    ['blocks', 'client', `127.0.0.1:${server.port}:nope.txt`, 'nope.txt'],
    EXIT.refused,
    { ok: false, name: 'nope.txt', outcome: 'refused', bytes: 0 },
  );
  errorLine(missing.finished, 'blocks');
});

it('share client: list prints the names as output, get of a missing name is cancelled (exit 3)', async () => {
  const server = await start(['share', 'server', '0', '--root', root]);
  const share = (rest: string[], code: number, shape: Record<string, unknown>) =>
    expectResult(['share', 'client', '127.0.0.1', String(server.port), ...rest], code, shape);
  const listed = await share(['list'], EXIT.ok, { ok: true, operation: 'list', outcome: 'listed' });
  expect((listed.result.output as string).split('\n')).toContain('speech.txt');

  const got = await client([
    'share',
    'client',
    '127.0.0.1',
    String(server.port),
    'get',
    'speech.txt',
    '-o',
    'share-copy.txt',
  ]);
  expect(resultOf(got)).toMatchObject({ ok: true, operation: 'get', path: 'share-copy.txt', bytes: TEXT.length });

  const missing = await share(['get', 'nope.txt'], EXIT.refused, {
    ok: false,
    operation: 'get',
    name: 'nope.txt',
    outcome: 'cancelled',
  });
  errorLine(missing.finished, 'share');
});

it('ardei client over TCP, UDP and --advanced: the report or replies as output; refusals exit 3', async () => {
  const server = await started(ardeiServerOnFreePorts(root));
  const [tcp, udp, advanced] = [
    await portOf(server, 'ardei'),
    await portOf(server, 'ardei-udp'),
    await portOf(server, 'ardei-advanced'),
  ];
  await expectResult(['ardei', 'client', '--port', tcp, 'hello'], EXIT.ok, {
    ok: true,
    operation: 'request',
    name: 'hello',
    output: 'HELLO\n',
  });

  await expectResult(['ardei', 'client', '--udp', '--port', udp, '1000000'], EXIT.refused, {
    ok: false,
    name: '1000000',
    output: 'Error: this server sends at most 65536 bytes a request over UDP; ask over TCP\n',
  });

  const advancedClient = ['ardei', 'client', '--advanced', '--port', advanced];
  const listed = await expectResult(
    advancedClient,
    EXIT.ok,
    { ok: true, operation: 'advanced', outcome: 'quit' },
    'ls\n',
  );
  expect(listed.result.output).toContain('speech.txt');

  const refused = await expectResult(
    advancedClient,
    EXIT.refused,
    { ok: false, outcome: 'refused', output: 'Invalid File!\n' },
    'dl nope.txt\n',
  );
  errorLine(refused.finished, 'ardei');
});

it('--json and a file written to stdout are refused together (exit 2)', async () => {
  for (const args of [
    ['blocks', 'client', '127.0.0.1:1:speech.txt', '-'],
    ['share', 'client', '127.0.0.1', '1', 'get', 'speech.txt', '-o', '-'],
  ]) {
    const both = await client(args);
    expect(both.code).toBe(EXIT.usage);
    expect(JSON.parse(both.stdout)).toMatchObject({ ok: false, outcome: 'not_started', code: 'usage', exit_code: 2 });
    expect(both.stderr).toMatch(/^wirestate: --json and .+ both write to stdout: pick one; see --help\n$/);
  }
});

// Before: a command line refused before any session left stdout empty, and the script reading it nothing to parse.
it('a bad command line with --json: its one object on stdout (not_started, usage, the words), the line on stderr', async () => {
  for (const [args, detail] of [
    [['client', '--json', '-m', 'x'], "--mode must be download or upload, not 'x'"],
    [['upper', 'client', '--json', '--port', 'abc', 'hi'], '--port must be a number 1..65535, not "abc"'],
  ] as const) {
    const refused = await client([...args]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(refused.stdout)).toEqual({
      ok: false,
      outcome: 'not_started',
      code: 'usage',
      detail,
      bytes: 0,
      duration_ms: expect.any(Number),
      exit_code: EXIT.usage,
    });
    expect(refused.stderr).toBe(`wirestate: ${detail}; see --help\n`);
  }
});
