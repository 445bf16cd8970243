/**
 * Refusals before anything moves, as real processes: one line (a JSON object with `--log-format json`), on stderr
 * for a bad command line or a client, on stdout for a server's setting that cannot work, the documented exit code, and no file made from a blank name.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
let out: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-refusals-'));
  out = join(base, 'out');
  await writeFile(join(base, 'server.txt'), 'hello\n');
  await writeFile(join(base, '  '), 'a file named two spaces\n');
  server = await startServerProcess(['--root', base]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});
beforeEach(async () => {
  await rm(out, { recursive: true, force: true });
  await mkdir(out);
});

const jsonLine = (text: string) => {
  const lines = text.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
};

describe("--log-format json: a refused run is one JSON line, a bad command line on stderr, a server's start error where it logs", () => {
  it('client: two files to stdout, on stderr with its exit code', async () => {
    const result = await wirestate(
      ['client', '-s', `127.0.0.1:${server.port}`, '-v', 'a', '-l', '-', '-v', 'b', '-l', '-', '--log-format', 'json'],
      out,
    );
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(jsonLine(result.stderr)).toMatchObject({
      level: 'error',
      event: 'error',
      exit_code: EXIT.usage,
      message: '- (stdin or stdout) takes one file a run; name a local file for each',
    });
  });

  it('client: an unreadable --list-file, exit 7', async () => {
    const missing = join(base, 'no-such-list');
    const result = await wirestate(['client', '--list-file', missing, '--log-format', 'json'], out);
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stdout).toBe('');
    expect(jsonLine(result.stderr)).toMatchObject({
      event: 'error',
      exit_code: EXIT.localFile,
      message: `cannot read --list-file ${missing}: no such file or folder (ENOENT)`,
    });
  });

  it('server: a --root it cannot serve on stdout, where its logs go', async () => {
    const result = await wirestate(
      ['server', '-l', '0', '--root', join(base, 'server.txt'), '--log-format', 'json'],
      out,
    );
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toBe('');
    expect(jsonLine(result.stdout)).toMatchObject({ event: 'error', exit_code: EXIT.localFile });
  });

  it('server: a bad command line (a blank --root) on stderr, before any log starts', async () => {
    const result = await wirestate(['server', '-l', '0', '--root', '  ', '--log-format', 'json'], out);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(jsonLine(result.stderr)).toMatchObject({ event: 'error', exit_code: EXIT.usage });
  });

  it('without it, the prose line and see --help', async () => {
    const result = await wirestate(['client', '-v', 'a', '-l', '-', '-v', 'b', '-l', '-'], out);
    expect(result).toMatchObject({
      code: EXIT.usage,
      stdout: '',
      stderr: 'wirestate: - (stdin or stdout) takes one file a run; name a local file for each; see --help\n',
    });
  });
});

describe('a blank or empty file or name is refused in one line, exit 2, nothing made or sent', () => {
  const at = () => `127.0.0.1:${server.port}`;
  // One check (blank-names.ts, on every command) decides all: a short flag blank and empty (not `-`), a long one, a
  // positional empty and blank, on three commands.
  it.each([
    ['client -l "  "', () => ['client', '-s', at(), '-l', '  '], 'wirestate: -l is blank: give a name; see --help'],
    ['client -l ""', () => ['client', '-s', at(), '-l', ''], 'wirestate: -l is empty: give a name; see --help'],
    [
      'client --client-file-name=',
      () => ['client', '-s', at(), '--client-file-name='],
      'wirestate: --client-file-name is empty: give a name; see --help',
    ],
    [
      'queue client send ""',
      () => ['queue', 'client', '127.0.0.1', '1', 'tcp', 'send', ''],
      'wirestate: FILE is empty: give a name; see --help',
    ],
    [
      'share client get "  "',
      () => ['share', 'client', '127.0.0.1', '1', 'get', '  '],
      'wirestate: NAME is blank: give a name; see --help',
    ],
  ])('%s', async (_, args, line) => {
    const result = await wirestate(args(), out);
    expect(result).toMatchObject({ code: EXIT.usage, stdout: '', stderr: `${line}\n` });
    expect(await readdir(out)).toEqual([]);
  });

  it('- still means stdout', async () => {
    const result = await wirestate(['client', '-s', at(), '-l', '-'], out);
    expect(result).toMatchObject({ code: EXIT.ok, stdout: 'hello\n' });
  });
});
