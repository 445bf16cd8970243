/**
 * Servers that store uploads: `--read-only` refuses every upload the way the protocol refuses a name
 * that exists, and a server open beyond loopback with no size limit says so in one line at start.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';
import { parseTrace, tracedBytes } from '../trace/trace-format';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-read-only-'));
  await mkdir(join(base, 'served'));
  await writeFile(join(base, 'served', 'speech.txt'), 'Four score\n');
  await writeFile(join(base, 'upload.txt'), 'not wanted\n');
});
afterAll(() => rm(base, { recursive: true, force: true }));

async function stopped(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

/** The transfer client uploading upload.txt as new.txt. */
const upload = (port: number) => [
  'client',
  '-q',
  '-s',
  `127.0.0.1:${port}`,
  '-m',
  'upload',
  '-l',
  'upload.txt',
  '-v',
  'new.txt',
];

it('transfer server --read-only: an upload is refused (F, exit 3) and stores nothing; downloads still work', async () => {
  const server = await startCliServer([
    'server',
    '-l',
    '0',
    '--host',
    '127.0.0.1',
    '--root',
    join(base, 'served'),
    '--read-only',
  ]);
  try {
    const at = `127.0.0.1:${server.port}`;
    const upload = await wirestate([
      'client',
      '-q',
      '-s',
      at,
      '-m',
      'upload',
      '-l',
      join(base, 'upload.txt'),
      '-v',
      'new.txt',
    ]);
    expect(upload.code).toBe(EXIT.refused);
    expect(await readdir(join(base, 'served'))).toEqual(['speech.txt']);
    const download = await wirestate(['client', '-q', '-s', at, '-v', 'speech.txt', '-l', join(base, 'copy.txt')]);
    expect(download.code).toBe(EXIT.ok);
    expect(await readFile(join(base, 'copy.txt'), 'utf8')).toBe('Four score\n');
  } finally {
    await stopped(server);
  }
});

it('share server --read-only: a put is cancelled (exit 3) and stores nothing; list still works', async () => {
  const server = await startCliServer([
    'share',
    'server',
    '0',
    '--host',
    '127.0.0.1',
    '--root',
    join(base, 'served'),
    '--read-only',
  ]);
  try {
    const put = await wirestate(['share', 'client', '127.0.0.1', String(server.port), 'put', 'upload.txt'], base);
    expect(put.code).toBe(EXIT.refused);
    expect(await readdir(join(base, 'served'))).toEqual(['speech.txt']);
    const list = await wirestate(['share', 'client', '127.0.0.1', String(server.port), 'list']);
    expect(list).toMatchObject({ code: EXIT.ok, stdout: 'speech.txt\n' });
  } finally {
    await stopped(server);
  }
});

/** The start-up log of a server bound to every address, in a network namespace of its own (only its loopback is there). */
async function startLogOnEveryAddress(args: string[]): Promise<string> {
  const server = await startCliServer(
    [...args, '--host', '0.0.0.0', '--root', join(base, 'served')],
    ['unshare', '-rn'],
  );
  // The warning comes once every server listens, right after the line naming the folder served (or the sum note).
  await server.logged(/(serving|sharing) \/|stops the sum server/);
  await stopped(server);
  return server.output();
}

it.each([
  [
    'transfer',
    ['server', '-l', '0'],
    'the transfer server accepts uploads of any size from anyone who can reach 0.0.0.0: --max-size BYTES limits them, --read-only refuses them, --host 127.0.0.1 keeps them to this machine',
  ],
  [
    'share',
    ['share', 'server', '0'],
    'the share server accepts uploads of any size from anyone who can reach 0.0.0.0: --max-size BYTES limits them, --read-only refuses them, --host 127.0.0.1 keeps them to this machine',
  ],
  [
    'serve-all --only transfer share',
    ['serve-all', '--only', 'transfer', 'share', '--transfer-port', '0', '--share-port', '0'],
    'the transfer and share servers accept uploads of any size from anyone who can reach 0.0.0.0: --max-size BYTES limits them, --read-only refuses them, --host 127.0.0.1 keeps them to this machine',
  ],
  [
    'serve-all --only transfer upper',
    ['serve-all', '--only', 'transfer', 'upper', '--transfer-port', '0', '--upper-port', '0'],
    'the transfer server accepts uploads of any size from anyone who can reach 0.0.0.0: --max-size BYTES limits them, --read-only refuses them, --host 127.0.0.1 keeps them to this machine',
  ],
])('%s server on 0.0.0.0 with no size limit: a one-line warning at start', async (_name, args, warning) => {
  const lines = (await startLogOnEveryAddress(args)).split('\n').filter((line) => line.includes('uploads of any size'));
  expect(lines).toEqual([
    expect.stringMatching(new RegExp(` warn .*${warning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)),
  ]);
});

// One test (upload-safety.ts) decides for every server: each server that stores is shown once passing it a way out
// (--read-only, a size limit), not each way by each server.
it.each([
  ['--read-only', ['server', '-l', '0', '--read-only']],
  ['a size limit (share)', ['share', 'server', '0', '--max-size', '1000000']],
  [
    'a size limit (serve-all)',
    ['serve-all', '--only', 'transfer', 'share', '--transfer-port', '0', '--share-port', '0', '--max-size', '1000'],
  ],
  [
    'serve-all --only upper sum (no server that stores)',
    ['serve-all', '--only', 'upper', 'sum', '--upper-port', '0', '--sum-port', '0'],
  ],
])('no warning with %s', async (_case, args) => {
  expect(await startLogOnEveryAddress(args)).not.toMatch(/uploads of any size/);
});

it('no warning on loopback', async () => {
  const server = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', join(base, 'served')]);
  await stopped(server);
  expect(server.output()).not.toMatch(/uploads of any size/);
});

/**
 * A refusal seen from both ends: what the server sent (its trace) and its last log line, as JSON. Runs
 * `server` over a fresh folder holding `present` (if any) and sends it `client` (args after the port).
 */
async function refusal(
  server: string[],
  present: string | undefined,
  client: (port: number) => string[],
): Promise<{ exit: number | null; sent: Buffer; trace: string; end: Record<string, unknown> }> {
  const dir = await mkdtemp(join(base, 'refusal-'));
  await mkdir(join(dir, 'served'));
  if (present) await writeFile(join(dir, 'served', present), 'already here\n');
  const running = await startCliServer([
    ...server,
    '--host',
    '127.0.0.1',
    '--root',
    join(dir, 'served'),
    '--record',
    join(dir, 'traces'),
    '--log-format',
    'json',
  ]);
  const { code } = await wirestate(client(running.port), base);
  await stopped(running);
  const [name] = await readdir(join(dir, 'traces'));
  const trace = join(dir, 'traces', name);
  const ends = running
    .output()
    .split('\n')
    .filter((line) => line.includes('"event":"end"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(ends).toHaveLength(1);
  return { exit: code, sent: tracedBytes(parseTrace(await readFile(trace, 'utf8')), 'out'), trace, end: ends[0] };
}

it('transfer server --read-only: the same bytes as for a name that exists, logged as refused (read-only server)', async () => {
  const readOnly = await refusal(['server', '-l', '0', '--read-only'], undefined, upload);
  const existing = await refusal(['server', '-l', '0'], 'new.txt', upload);
  expect([readOnly.exit, existing.exit]).toEqual([EXIT.refused, EXIT.refused]);
  expect(readOnly.sent.toString('hex')).toBe(existing.sent.toString('hex'));
  expect(existing.end).toMatchObject({
    outcome: 'refused',
    code: 'file.exists',
    message: expect.stringMatching(/^refused \(a file of that name exists\) in \d+\.\d{3} s$/),
  });
  expect(readOnly.end).toMatchObject({
    outcome: 'refused',
    code: 'storage.read_only',
    operation: 'upload',
    name: 'new.txt',
    message: expect.stringMatching(/^refused \(read-only server\) in \d+\.\d{3} s$/),
  });
  // The trace replays as recorded: its world is a read-only one.
  expect(await wirestate(['replay', '--check', readOnly.trace])).toMatchObject({ code: 0 });
});

it('share server --read-only: the same cancel as for a name that exists, logged as cancelled (read-only server)', async () => {
  const put = (port: number) => ['share', 'client', '127.0.0.1', String(port), 'put', 'upload.txt'];
  const readOnly = await refusal(['share', 'server', '0', '--read-only'], undefined, put);
  const existing = await refusal(['share', 'server', '0'], 'upload.txt', put);
  expect([readOnly.exit, existing.exit]).toEqual([EXIT.refused, EXIT.refused]);
  expect(readOnly.sent.toString('hex')).toBe(existing.sent.toString('hex'));
  expect(existing.end).toMatchObject({ outcome: 'cancelled', code: 'file.exists' });
  expect(readOnly.end).toMatchObject({
    outcome: 'cancelled',
    code: 'storage.read_only',
    message: expect.stringMatching(/^cancelled \(read-only server\) in \d+\.\d{3} s$/),
  });
  expect(await wirestate(['replay', '--check', readOnly.trace])).toMatchObject({ code: 0 });
});

it('serve-all --read-only: its transfer server logs a refused upload as refused (read-only server)', async () => {
  const readOnly = await refusal(
    ['serve-all', '--only', 'transfer', '--transfer-port', '0', '--read-only'],
    undefined,
    upload,
  );
  expect(readOnly.exit).toBe(EXIT.refused);
  expect(readOnly.end).toMatchObject({
    outcome: 'refused',
    code: 'storage.read_only',
    message: expect.stringMatching(/^refused \(read-only server\)/),
  });
});
