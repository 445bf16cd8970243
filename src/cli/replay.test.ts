/** `wirestate replay` as a person debugging a capture uses it. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, REPO, startCliServer, wirestate } from '../test-support/processes';

const FIXTURE = join(REPO, 'fixtures', 'traces', 'transfer', 'download-ok.server.jsonl');

describe('wirestate replay', () => {
  let base: string;
  beforeAll(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-replay-'))));
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('prints the timeline with decoded frames and states, in order', async () => {
    const result = await wirestate(['replay', FIXTURE]);
    expect(result.code).toBe(0);
    const events = result.stdout
      .split('\n')
      .slice(1)
      .map((line) =>
        line
          .replace(/^\s*[\d.]+ ms\s+/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter(Boolean);
    expect(events).toEqual([
      'state client_connect',
      'in 256 B REQUEST D "speech.txt"',
      'state check_download',
      'state send_check_download',
      'out 9 B DOWNLOAD_REPLY T size=89',
      'state check_download_confirmation',
      'in 1 B DOWNLOAD_CONFIRM T',
      'state downloading.sending',
      'out 89 B DATA 89 B, DATA complete',
      'state download_complete',
      'end the peer ended its side',
      'done downloaded, 89 B',
    ]);
  });

  it.each([
    [
      'ext-upload-ok.client',
      [
        'out 256 B HELLO wirestate/1 stored sha256 list resume',
        'in 16 B HELLO_REPLY version=1 agreed=stored,sha256,list',
        'out 256 B REQUEST u "new.txt"',
        'in 1 B UPLOAD_REPLY t',
        'out 8 B UPLOAD_SIZE 89',
        'in 1 B UPLOAD_SIZE_REPLY T',
        'out 89 B DATA 89 B, DATA complete',
        'out 32 B DIGEST 3984cfb40a5da03246e164ccd6b1ee295f0e10a26dabb4e4ffb806114c56b295',
        'in 1 B STORED_REPLY t',
      ],
    ],
    [
      'ext-download-ok.server',
      [
        'in 256 B HELLO wirestate/1 stored sha256 list resume',
        'out 16 B HELLO_REPLY version=1 agreed=stored,sha256,list',
        'in 256 B REQUEST d "speech.txt"',
        'out 17 B DOWNLOAD_REPLY_X t size=89 mtime=1767225600000',
        'in 1 B DOWNLOAD_CONFIRM T',
        'out 89 B DATA 89 B, DATA complete',
        'out 32 B DIGEST 3984cfb40a5da03246e164ccd6b1ee295f0e10a26dabb4e4ffb806114c56b295',
      ],
    ],
    ['ext-upload-digest-mismatch.server', ['out 1 B STORED_REPLY C']],
  ])('names the extension frames of %s, never a bare byte count', async (fixture, frames) => {
    const result = await wirestate(['replay', join(REPO, 'fixtures', 'traces', 'transfer', `${fixture}.jsonl`)]);
    expect(result.code).toBe(0);
    const wire = result.stdout
      .split('\n')
      .map((line) =>
        line
          .replace(/^\s*[\d.]+ ms\s+/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((line) => /^(in|out) /.test(line));
    for (const frame of frames) expect(wire).toContain(frame);
    expect(wire.filter((line) => /^(in|out) \d+ B$/.test(line))).toEqual([]);
  });

  it('--check re-runs the machine and reports it behaves the same', async () => {
    const result = await wirestate(['replay', '--check', FIXTURE]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/same bytes, same states, same outcome/g)).toHaveLength(3);
  });

  it('--check exits 1 and says what differs when the trace does not match the machine', async () => {
    const lines = (await readFile(FIXTURE, 'utf8')).split('\n');
    const tampered = lines
      .map((line) => line.replace('"state":"downloading.sending"', '"state":"uploading"'))
      .join('\n');
    const path = join(base, 'tampered.jsonl');
    await writeFile(path, tampered);
    const result = await wirestate(['replay', '--check', path]);
    expect(result.code).toBe(EXIT.internal);
    expect(result.stdout).toMatch(/states .*downloading.* instead of .*uploading/);
  });

  it("a client's trace reads `upper client, peer ...`, and shows its first state before the bytes that state sent", async () => {
    const server = await startCliServer(['upper', 'server', '0', '--host', '127.0.0.1']);
    try {
      const traces = join(base, 'client-traces');
      expect((await wirestate(['upper', 'client', '--port', String(server.port), '--record', traces, 'hi'])).code).toBe(
        0,
      );
      const [file] = await readdir(traces);
      const result = await wirestate(['replay', join(traces, file)]);
      const [header, ...events] = result.stdout.split('\n').map((line) =>
        line
          .replace(/^\s*[\d.]+ ms\s+/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      expect(header).toMatch(/^upper client, peer 127\.0\.0\.1:\d+, wirestate /);
      expect(events.slice(0, 2)).toEqual(['state send_request', 'out 3 B "hi\\n"']);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('says in words that a missing file is missing, exit 2', async () => {
    const path = join(base, 'no-such-trace.jsonl');
    const result = await wirestate(['replay', path]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe(`wirestate: cannot read ${path}: no such file or folder (ENOENT); see --help\n`);
  });

  it('refuses a file that is not a trace with exit 2', async () => {
    const path = join(base, 'not-a-trace.jsonl');
    await writeFile(path, '{"hello":1}\n');
    const result = await wirestate(['replay', path]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe(`wirestate: ${path}:1: not a wirestate/1 trace (it starts {"hello":1}); see --help\n`);
  });

  it('refuses a header without its fields in one line naming them, exit 2', async () => {
    const path = join(base, 'bare-header.jsonl');
    await writeFile(path, '{"trace":"wirestate/1","protocol":"transfer"}\n');
    const result = await wirestate(['replay', path]);
    expect(result).toMatchObject({
      code: EXIT.usage,
      stdout: '',
      stderr: `wirestate: ${path}:1: the trace header lacks role, connection, peer, version, started; see --help\n`,
    });
  });

  it.each([
    [
      'protocol',
      { protocol: 'bogus', role: 'server' },
      'the trace header\'s protocol "bogus" is not one wirestate knows (transfer, queue, queue-udp, upper, sum, blocks, share, ardei, ardei-udp, ardei-advanced)',
    ],
    // An unknown role is refused in replay-bad-traces.test.ts ('a header whose role is wrong'), by the same words.
  ])(
    'refuses a header whose %s is unknown, from stdin or a file, in one line naming it, exit 2',
    async (_, fields, why) => {
      const header = {
        trace: 'wirestate/1',
        connection: 'c1',
        peer: '127.0.0.1:1',
        version: '0',
        started: 'now',
        ...fields,
      };
      const text = `${JSON.stringify(header)}\n{"t":0,"state":"idle"}\n`;
      const piped = spawnSync(process.execPath, [CLI, 'replay', '-'], {
        input: text,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(piped).toMatchObject({
        status: EXIT.usage,
        stdout: '',
        stderr: `wirestate: stdin:1: ${why}; see --help\n`,
      });
      const path = join(base, `unknown-${fields.role}.jsonl`);
      await writeFile(path, text);
      expect(await wirestate(['replay', path])).toMatchObject({
        code: EXIT.usage,
        stdout: '',
        stderr: `wirestate: ${path}:1: ${why}; see --help\n`,
      });
    },
  );

  it('replay - reads the trace from stdin', async () => {
    const result = spawnSync(process.execPath, [CLI, 'replay', '-'], {
      input: await readFile(FIXTURE),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe((await wirestate(['replay', FIXTURE])).stdout);
  });
});
