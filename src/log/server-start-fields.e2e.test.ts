/**
 * `--log-format json`: every line a server logs outside a connection (listening, serving, the upload warning,
 * the stop, a port in use) is an object with `event` and the fields its prose tells; a transfer client that
 * cannot connect logs its start line as well as its end. Real processes on loopback.
 */
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, freePort, run, startCliServer } from '../test-support/processes';

type Line = Record<string, unknown>;
const objects = (output: string): Line[] =>
  output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

/** Starts `args` with --log-format json, stops it with SIGTERM, and returns every line it logged. */
async function linesOf(args: string[]): Promise<Line[]> {
  const server = await startCliServer([...args, '--log-format', 'json']);
  server.child.kill('SIGTERM');
  await server.exited;
  return objects(server.output());
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-start-fields-'));
});

const loopback = ['--host', '127.0.0.1'];
/** Stands for the temporary folder served, made once the tests start. */
const ROOT = '<root>';
/**
 * Each server with a start of its own (its lines beyond serve()'s listening and stopping, which every one shows;
 * the queue server's are those alone). sum is given a number and share listens on every address, for the lines
 * the next test reads from the same run.
 */
const SERVERS: [string, string[]][] = [
  ['transfer', ['server', '-l', '0', '--root', ROOT, ...loopback]],
  ['upper', ['upper', 'server', '0', ...loopback]],
  ['sum', ['sum', 'server', '0', '--number', '42', ...loopback]],
  ['blocks', ['blocks', 'server', '0', '--root', ROOT, ...loopback]],
  ['share', ['share', 'server', '0', '--root', ROOT, '--host', '0.0.0.0']],
  ['ardei', ['ardei', 'server', '--tcp-port', '0', '--udp-port', '0', ...loopback]],
  ['serve-all', ['serve-all', '--only', 'upper', 'sum', '--upper-port', '0', '--sum-port', '0', ...loopback]],
];

/** Each server runs once: the tests that read its lines share the run. */
const runs = new Map<string, Promise<Line[]>>();
function linesOfServer(name: string): Promise<Line[]> {
  const args = SERVERS.find(([server]) => server === name)![1].map((arg) => (arg === ROOT ? root : arg));
  if (!runs.has(name)) runs.set(name, linesOf(args));
  return runs.get(name)!;
}

it.each(SERVERS)('%s server: every line has an event, listening says where', async (name, args) => {
  const lines = await linesOfServer(name);
  for (const line of lines) expect(line).toHaveProperty('event');
  const listening = lines.filter((line) => line.event === 'listening');
  expect(listening.length).toBeGreaterThan(0);
  for (const line of listening)
    expect(line).toMatchObject({
      protocol: expect.any(String),
      transport: expect.stringMatching(/^(tcp|udp)$/),
      host: args[args.indexOf('--host') + 1],
      port: Number(/:(\d+)/.exec(String(line.message))![1]),
    });
  expect(lines.at(-1)).toMatchObject({ event: 'stopping', reason: 'SIGTERM', in_flight: 0, grace_s: 10 });
});

it('the served folder and the upload warning carry their fields', async () => {
  const lines = await linesOfServer('share');
  expect(lines).toContainEqual(expect.objectContaining({ event: 'serving', root, message: `sharing ${root}` }));
  expect(lines).toContainEqual(
    expect.objectContaining({ event: 'warning', warning: 'open_to_uploads', host: '0.0.0.0', level: 'warn' }),
  );
  const sum = await linesOfServer('sum');
  expect(sum).toContainEqual(expect.objectContaining({ event: 'number', number: 42, lowest: 1, highest: 100 }));
});

it('a port in use: one error line with event, protocol, port, code and exit_code 8', async () => {
  const holder = createServer();
  holder.listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const { port } = holder.address() as AddressInfo;
  try {
    const result = await run(process.execPath, [
      CLI,
      'upper',
      'server',
      String(port),
      '--host',
      '127.0.0.1',
      '--log-format',
      'json',
    ]);
    expect(result.code).toBe(EXIT.cannotListen);
    expect(objects(result.stdout)).toEqual([
      expect.objectContaining({
        level: 'error',
        event: 'error',
        protocol: 'upper',
        host: '127.0.0.1',
        port,
        transport: 'tcp',
        code: 'EADDRINUSE',
        exit_code: EXIT.cannotListen,
      }),
    ]);
  } finally {
    holder.close();
  }
});

it('a transfer client that cannot connect logs its start line, then its end line', async () => {
  const port = await freePort();
  const peer = `127.0.0.1:${port}`;
  const result = await run(process.execPath, [
    CLI,
    'client',
    '-s',
    peer,
    '-v',
    'speech.txt',
    '-l',
    join(root, 'never.txt'),
    '--log-format',
    'json',
  ]);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(objects(result.stderr)).toEqual([
    expect.objectContaining({ event: 'start', operation: 'download', name: 'speech.txt', peer }),
    expect.objectContaining({ event: 'end', outcome: 'not_started', exit_code: EXIT.cannotConnect }),
  ]);
});

const CLIENTS: [string, (peer: { host: string; port: number }) => string[]][] = [
  ['queue', ({ host, port }) => ['queue', 'client', host, String(port), 'TCP', 'receive']],
  // sum's client is upper's: both run text-client-run.ts, which says the start.
  ['upper', ({ host, port }) => ['upper', 'client', '--host', host, '--port', String(port), 'hi']],
  ['blocks', ({ host, port }) => ['blocks', 'client', `${host}:${port}:x.txt`, join(root, 'x.txt')]],
  ['share', ({ host, port }) => ['share', 'client', host, String(port), 'list']],
  ['ardei', ({ host, port }) => ['ardei', 'client', '--host', host, '--port', String(port), 'hi']],
];

it.each(CLIENTS)('a %s client that cannot connect logs a start line, then its end line', async (_name, args) => {
  const port = await freePort();
  const result = await run(process.execPath, [CLI, ...args({ host: '127.0.0.1', port }), '--log-format', 'json']);
  expect(result.code).toBe(EXIT.cannotConnect);
  const peer = `127.0.0.1:${port}`;
  expect(objects(result.stderr)).toEqual([
    expect.objectContaining({ event: 'start', connection: 'client', peer }),
    expect.objectContaining({ event: 'end', peer, outcome: 'not_started', exit_code: EXIT.cannotConnect }),
  ]);
});
