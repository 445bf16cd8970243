/**
 * `wirestate replay` on traces that are not what the format says (README: "Traces"), from a file and from stdin,
 * with and without --check: one line naming the file, the line and what is wrong, exit 2, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, REPO, startCliServer, wirestate } from '../test-support/processes';

const FIXTURE = join(REPO, 'fixtures', 'traces', 'transfer', 'download-ok.server.jsonl');

const HEADER = {
  trace: 'wirestate/1',
  protocol: 'upper',
  role: 'server',
  connection: 'c1',
  peer: '127.0.0.1:1',
  input: { maxRequest: 2048 },
  version: '0.1.0',
  started: '2026-11-30T00:00:00.000Z',
};

const lines = (...values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n') + '\n';

/** `wirestate replay` on `text` in the file `name`: exit 2, nothing on stdout, `why` on the line naming `line`. */
async function expectRefusedFromFile(base: string, name: string, text: string | Buffer, line: number, why: string) {
  const path = join(base, name);
  await writeFile(path, text);
  expect(await wirestate(['replay', path])).toEqual({
    code: EXIT.usage,
    stdout: '',
    stderr: `wirestate: ${path}:${line}: ${why}; see --help\n`,
  });
}

/** `wirestate replay --check -` on `text` piped to stdin: exit 2, nothing on stdout, `why` on the line `stdin:LINE`. */
function expectRefusedFromStdin(text: string | Buffer, line: number, why: string) {
  const piped = spawnSync(process.execPath, [CLI, 'replay', '--check', '-'], { input: text, timeout: 30_000 });
  expect({ status: piped.status, stdout: piped.stdout.toString(), stderr: piped.stderr.toString() }).toEqual({
    status: EXIT.usage,
    stdout: '',
    stderr: `wirestate: stdin:${line}: ${why}; see --help\n`,
  });
}

/**
 * Replays `text` from a file, and from stdin with --check: each run exits 2 with `why` on its line. Both read the
 * trace through one reader (replay-command.ts readTrace) before --check does anything, so each source is run once,
 * --check on one of them, rather than both sources with and without --check (4 processes for the same words). The
 * tables of entries and of headers, whose words come from one parser whatever the source, run one process a row:
 * the entries from a file, the headers from stdin with --check.
 */
async function expectRefused(base: string, name: string, text: string | Buffer, line: number, why: string) {
  await expectRefusedFromFile(base, name, text, line, why);
  expectRefusedFromStdin(text, line, why);
}

describe('wirestate replay refuses a trace that is not one, in one line', () => {
  let base: string;
  beforeAll(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-bad-traces-'))));
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('a header without input', async () => {
    const { input: _, ...header } = HEADER;
    await expectRefused(
      base,
      'no-input.jsonl',
      lines(header, { t: 1, state: 'idle' }),
      1,
      "the trace header lacks input (the server machine's input, which a replay builds it from)",
    );
  });

  it('a transfer header without input, whose frames the timeline would read with it', async () => {
    const [first, ...rest] = (await readFile(FIXTURE, 'utf8')).split('\n');
    const { input: _, ...header } = JSON.parse(first) as Record<string, unknown>;
    await expectRefused(
      base,
      'transfer-no-input.jsonl',
      [JSON.stringify(header), ...rest].join('\n'),
      1,
      "the trace header lacks input (the server machine's input, which a replay builds it from)",
    );
  });

  it('a server trace whose header says client, whose input a client machine cannot be built from', async () => {
    const text = (await readFile(FIXTURE, 'utf8')).replace('"role":"server"', '"role":"client"');
    await expectRefused(
      base,
      'role-changed.jsonl',
      text,
      1,
      "the trace header's input lacks operation, serverName, size, which the transfer client machine needs (is its role right?)",
    );
  });

  it('--check on a trace whose machine cannot run again says why in one line, after the timeline', async () => {
    const server = join(REPO, 'fixtures', 'traces', 'ardei-advanced', 'session.server.jsonl');
    const path = join(base, 'advanced-client.jsonl');
    await writeFile(path, (await readFile(server, 'utf8')).replace('"role":"server"', '"role":"client"'));
    const result = await wirestate(['replay', '--check', path]);
    expect(result).toMatchObject({
      code: EXIT.usage,
      stderr:
        'wirestate: an advanced client trace cannot be replayed: its commands came from the prompt, not the wire; see --help\n',
    });
    expect(result.stdout).toMatch(/^ardei-advanced client c\d+, peer /);
  });

  it.each([
    [
      'an entry of an unknown shape',
      { at: 5, kind: 'bogus' },
      'the entry lacks t (milliseconds since the connection opened)',
    ],
    ['an entry with a time and nothing else', { t: 1 }, 'the entry has none of in, out, state, end, error, outcome'],
    ['an entry of two kinds', { t: 1, in: 'aGk=', out: 'aGk=' }, 'the entry has in and out: one of them per entry'],
    [
      'a time that is not a number',
      { t: '1', state: 'idle' },
      't must be milliseconds since the connection opened, not "1"',
    ],
    ['a negative time', { t: -1, state: 'idle' }, 't must be milliseconds since the connection opened, not -1'],
    ['bytes that are not base64', { t: 1, in: 'aGk*' }, 'in must be bytes in base64, not "aGk*"'],
    ['bytes that are not text', { t: 1, out: 5 }, 'out must be bytes in base64, not 5'],
    ['an end by someone else', { t: 1, end: 'us' }, 'end must be "peer", not "us"'],
    ['an empty state', { t: 1, state: '' }, 'state must be a state\'s name, not ""'],
    [
      'an outcome without its code',
      { t: 1, outcome: { ok: true, outcome: 'replied', bytes: 2 } },
      'the outcome lacks code',
    ],
    ['an entry that is not an object', [1, 2], 'an entry must be an object, not [1,2]'],
  ])('%s', async (_, entry, why) => {
    await expectRefusedFromFile(base, 'bad-entry.jsonl', lines(HEADER, { t: 0, state: 'idle' }, entry), 3, why);
  });

  it('entries out of time order, naming the later line', async () => {
    await expectRefused(
      base,
      'out-of-order.jsonl',
      lines(HEADER, { t: 5, state: 'idle' }, { t: 3, in: 'aGkK' }),
      3,
      "t 3 comes before the previous entry's 5: entries are in time order",
    );
  });

  it('a line cut short, counting blank and CRLF lines as an editor does', async () => {
    const text = `${JSON.stringify(HEADER)}\r\n\r\n{"t":0,"state":"idle"}\r\n{"t":1,"in":"aG`;
    await expectRefused(base, 'truncated.jsonl', text, 4, 'not JSON: {"t":1,"in":"aG');
  });

  it('an empty file', async () => {
    await expectRefused(base, 'empty.jsonl', '', 1, 'not a wirestate/1 trace (it starts with nothing)');
  });

  it('binary garbage, its control characters not sent to the terminal', async () => {
    const garbage = Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0xff, 0x41, 0x07, 0x0a, 0x42]);
    await expectRefused(base, 'garbage.bin', garbage, 1, 'not a wirestate/1 trace (it starts ?[2J?\uFFFDA?)');
  });

  it.each([
    [
      'role',
      { role: 'nobody' },
      'the trace header\'s role "nobody" is not one wirestate knows (server, client, proxy)',
    ],
    ['transport', { transport: 'sctp' }, 'the trace header\'s transport "sctp" is not one wirestate knows (tcp, udp)'],
    ['peer', { peer: 5 }, "the trace header's peer must be text, not 5"],
    ['input', { input: 'big' }, 'the trace header\'s input must be an object, not "big"'],
  ])('a header whose %s is wrong', (_, fields, why) => {
    expectRefusedFromStdin(lines({ ...HEADER, ...fields }, { t: 0, state: 'idle' }), 1, why);
  });
});

describe('wirestate replay takes what a trace may hold beyond the format', () => {
  let base: string;
  beforeAll(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-odd-traces-'))));
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('reads a line of 16 MB, one frame of 12 MiB', async () => {
    const path = join(base, 'big-frame.jsonl');
    const frame = Buffer.alloc(12 * 1024 * 1024, 'a').toString('base64');
    await writeFile(path, lines(HEADER, { t: 1, in: frame }));
    const result = await wirestate(['replay', path]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[1]).toMatch(/^\s+1\.000 ms {2}in {4}12582912 B {2}"aaaa/);
  });

  it('reads a CRLF trace and one whose lines carry fields it does not know as it reads the plain one', async () => {
    const plain = await wirestate(['replay', '--check', FIXTURE]);
    expect(plain.code).toBe(0);
    const text = await readFile(FIXTURE, 'utf8');
    const widened = text
      .split('\n')
      .map((line) => (line ? JSON.stringify({ ...JSON.parse(line), note: 'added later' }) : line))
      .join('\r\n');
    const path = join(base, 'widened.jsonl');
    await writeFile(path, widened);
    expect(await wirestate(['replay', '--check', path])).toEqual(plain);
  });
});

const FILE_TEXT = 'a short file for one download\n';

describe("wirestate replay on a real server's trace with one byte of a frame altered", () => {
  let base: string;
  let recorded: string[];
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-altered-trace-'));
    const served = join(base, 'served');
    await mkdir(served);
    await writeFile(join(served, 'a.txt'), FILE_TEXT);
    const server = await startCliServer([
      'server',
      '-l',
      '0',
      '--host',
      '127.0.0.1',
      '--root',
      served,
      '--record',
      join(base, 'traces'),
    ]);
    try {
      const download = ['client', '-s', `127.0.0.1:${server.port}`, '-v', 'a.txt', '-l', join(base, 'got.txt'), '-q'];
      expect((await wirestate(download)).code).toBe(0);
      await server.logged(/downloaded/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const [file] = await readdir(join(base, 'traces'));
    recorded = (await readFile(join(base, 'traces', file), 'utf8')).split('\n');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  /** The trace with byte `at` of the server's reply to the request (status, then the size in 8 bytes) set to `value`. */
  async function withReplyByte(at: number, value: number): Promise<string> {
    // The first bytes out are the reply to the client's hello, the second the reply to its request.
    const index = recorded.flatMap((line, at) => (line.includes('"out"') ? [at] : []))[1];
    const entry = JSON.parse(recorded[index]) as { out: string };
    const bytes = Buffer.from(entry.out, 'base64');
    bytes[at] = value;
    const lines = [...recorded];
    lines[index] = JSON.stringify({ ...entry, out: bytes.toString('base64') });
    const path = join(base, `altered-${at}-${value}.jsonl`);
    await writeFile(path, lines.join('\n'));
    return path;
  }

  it('a size with its last byte zeroed: the timeline reads it, --check says what differs, exit 1', async () => {
    const path = await withReplyByte(8, 0);
    expect(await wirestate(['replay', path])).toMatchObject({ code: 0, stderr: '' });
    const checked = await wirestate(['replay', '--check', path]);
    expect(checked).toMatchObject({ code: EXIT.internal, stderr: '' });
    expect(checked.stdout).toMatch(/replay as recorded: .*differing/);
  });

  it('a size of a terabyte: --check says it will not rebuild such a file in memory, in one line, exit 2', async () => {
    const path = await withReplyByte(3, 1);
    const size = 2 ** 40 + FILE_TEXT.length;
    expect(await wirestate(['replay', path])).toMatchObject({ code: 0, stderr: '' });
    expect(await wirestate(['replay', '--check', path])).toMatchObject({
      code: EXIT.usage,
      stderr: `wirestate: the trace's frames name a file of ${size} bytes; a replay rebuilds files in memory, 67108864 bytes at most; see --help\n`,
    });
  });
});
