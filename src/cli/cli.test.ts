/** The `wirestate` command as a person meets it when something is wrong: errors in one line, a server's exit on SIGTERM (help and completion: help-and-completion.test.ts). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { expectOneLine } from '../test-support/one-line';
import { expectStartError } from '../test-support/start-error';
import { REPO, wirestate } from '../test-support/processes';

describe('errors: one line, the documented exit code', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-errors-'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it.each([
    [
      'an unknown mode',
      ['client', '-m', 'sideways'],
      /^wirestate: --mode must be download or upload, not 'sideways'; see --help$/m,
    ],
    [
      'a positional choice that does not exist',
      ['queue', 'server', '0', 'SCTP'],
      /^wirestate: <socktype> must be tcp or udp, not 'sctp'; see --help$/m,
    ],
    ['a server that is not host:port', ['client', '-s', 'nonsense'], /expected host:port, got "nonsense"/],
    [
      'a port out of range in -s',
      ['client', '-s', '127.0.0.1:70000'],
      /the port in "127\.0\.0\.1:70000" must be a number 1\.\.65535, not "70000"/,
    ],
    ['a 256-byte server file name', ['client', '-v', 'x'.repeat(256)], /at most 255/],
    ['a port out of range', ['server', '-l', '70000'], /--listen-port must be a number 0\.\.65535, not "70000"/],
    ['-l without a value', ['server', '-l'], /^wirestate: -l needs a value/],
    ['--root without a value', ['server', '--root'], /^wirestate: --root needs a value/],
    ['--root followed by another flag', ['server', '--root', '--host', '127.0.0.1'], /--root needs a value/],
    [
      'a value flag of a protocol server without a value',
      ['queue', 'server', '0', 'TCP', '--max-size'],
      /--max-size needs a value/,
    ],
    ['-m without a value', ['client', '-s', '127.0.0.1:9', '-m'], /^wirestate: -m needs a value; see --help$/m],
    [
      '--mode without a value',
      ['client', '-s', '127.0.0.1:9', '--mode'],
      /^wirestate: --mode needs a value; see --help$/m,
    ],
    [
      "a client's --log-format without a value",
      ['client', '-s', '127.0.0.1:9', '--log-format'],
      /^wirestate: --log-format needs a value; see --help$/m,
    ],
    [
      "a server's --log-format without a value",
      ['server', '-l', '0', '--host', '127.0.0.1', '--log-format'],
      /^wirestate: --log-format needs a value; see --help$/m,
    ],
    [
      "serve-all's --log-format without a value",
      ['serve-all', '--only', 'upper', '--upper-port', '0', '--host', '127.0.0.1', '--log-format'],
      /^wirestate: --log-format needs a value; see --help$/m,
    ],
    [
      '--except without a value',
      ['serve-all', '--upper-port', '0', '--host', '127.0.0.1', '--except'],
      /^wirestate: --except needs a value; see --help$/m,
    ],
    [
      '--except= (an empty value)',
      ['serve-all', '--upper-port', '0', '--host', '127.0.0.1', '--except='],
      /^wirestate: --except needs a value; see --help$/m,
    ],
    ['--idle-timeout that is not a number', ['client', '--idle-timeout', 'abc'], /--idle-timeout takes a number/],
    // yargs reads a switch's every value but `true` as false: the command ran with the switch off, exit 0.
    [
      'a switch given a value',
      ['ardei', 'client', '--advanced=1'],
      /^wirestate: --advanced takes no value: write --advanced, not --advanced=1; see --help$/m,
    ],
    [
      'a short switch given a value',
      ['client', '-q=yes'],
      /^wirestate: -q takes no value: write -q, not -q=yes; see --help$/m,
    ],
    [
      'a positional port that is not a number',
      ['queue', 'client', 'localhost', 'abc', 'TCP', 'receive'],
      /: PORT must be a number 1\.\.65535, not "abc"/,
    ],
    [
      '--inspect taking the next word',
      ['upper', 'client', '--inspect', 'hi'],
      /--inspect takes a port 0\.\.65535, not "hi" \(for the default port, put --inspect after the other words or write --inspect=50080\)/,
    ],
    [
      '--inspect "" (an empty port, not the default one)',
      ['upper', 'client', '--port', '1', '--inspect', '', 'hi'],
      /^wirestate: --inspect is empty: give a port \(0 picks a free one\), or write --inspect alone for 50080; see --help$/m,
    ],
    [
      "a server's --inspect=",
      ['server', '-l', '0', '--host', '127.0.0.1', '--inspect='],
      /^wirestate: --inspect is empty: give a port \(0 picks a free one\), or write --inspect alone for 50080; see --help$/m,
    ],
    // (A word that is no number, as "abc", is refused as "hi" is above: the same test of digits.)
    ...['-1', '70000', ' '].map((port): [string, string[], RegExp] => [
      `--inspect "${port}"`,
      ['upper', 'client', '--port', '1', '--inspect', port, 'hi'],
      new RegExp(`^wirestate: --inspect takes a port 0\\.\\.65535, not "${port}" .*; see --help$`, 'm'),
    ]),
    ['an unknown flag', ['server', '--bogus'], /^wirestate: unknown option --bogus; see --help$/m],
    [
      'an unknown flag named once, as typed',
      ['upper', 'server', '0', '--host', '127.0.0.1', '--max-size', '1000'],
      /^wirestate: unknown option --max-size; see --help$/m,
    ],
    ['an unknown short flag', ['server', '-x'], /^wirestate: unknown option -x; see --help$/m],
    [
      '--host given twice',
      ['ardei', 'server', '--host', '127.0.0.1', '--host', '127.0.0.2'],
      /^wirestate: --host given twice; see --help$/m,
    ],
    [
      '-s given twice',
      ['client', '-s', '127.0.0.1:1', '-s', '127.0.0.1:2'],
      /^wirestate: --server given twice; see --help$/m,
    ],
    [
      '--inspect given twice (its port is not read as "1,2")',
      ['upper', 'client', '--inspect', '1', '--inspect', '2', 'hi'],
      /^wirestate: --inspect given twice; see --help$/m,
    ],
    [
      'a missing positional after one given',
      ['queue', 'server', '55556'],
      /^wirestate: queue server needs <socktype> after <port>; see --help$/m,
    ],
    ['no command', [], /^wirestate: name a command; see --help$/m],
    ['no role', ['queue'], /name a role: server or client/],
    ['a command that does not exist', ['sever', '-l', '0'], /^wirestate: unknown command: sever; see --help$/m],
    ['a missing positional', ['replay'], /^wirestate: replay needs <file>; see --help$/m],
    [
      'a positional too many',
      ['replay', 'a.jsonl', 'b.jsonl'],
      /^wirestate: unexpected argument 'b\.jsonl'; see --help$/m,
    ],
    // Words after `--` that no positional takes: before, the command ran without them (the server on its default port).
    [
      'words with --advanced (ardei client), which takes its commands at the prompt: before, dropped unasked, exit 0',
      ['ardei', 'client', '--port', '1', '--advanced', 'ls'],
      /^wirestate: --advanced takes its commands at the prompt or on standard input, not as words: echo 'ls' \| wirestate ardei client --advanced; see --help$/m,
    ],
    ['a word after -- (server)', ['server', '--', 'x'], /^wirestate: unexpected argument 'x'; see --help$/m],
    [
      'a port after -- (share server)',
      ['share', 'server', '--', '5000'],
      /^wirestate: unexpected argument '5000'; see --help$/m,
    ],
    [
      'a file after -- (queue client)',
      ['queue', 'client', '127.0.0.1', '1', 'TCP', 'send', '--', '-m'],
      /^wirestate: unexpected argument '-m'; see --help$/m,
    ],
  ])('%s: exit 2', async (_case, args, error) => {
    expectOneLine(await wirestate(args), EXIT.usage, error);
  });

  it('a client with no input (stdin empty): one line ending where to look, exit 2', async () => {
    expect(await wirestate(['upper', 'client'])).toMatchObject({
      code: EXIT.usage,
      stderr: 'wirestate upper client: no input; see --help\n',
    });
  });

  it.each([
    ['server', ['server', '-l', '0', '--host', '127.0.0.1']],
    ['proxy', ['proxy', '-l', '0', '--host', '127.0.0.1']],
  ])('%s with a --record that is a file: exit 7, one line, before serving', async (_command, args) => {
    await writeFile(join(base, 'traces'), 'not a folder\n');
    expectStartError(
      await wirestate([...args, '--record', join(base, 'traces')]),
      EXIT.localFile,
      /^cannot record into --record \S+traces: it is a file, not a folder$/,
    );
  });

  it('a --root that is a file: exit 7', async () => {
    await writeFile(join(base, 'passwd'), 'root:x:0:0\n');
    expectStartError(
      await wirestate(['server', '-l', '0', '--host', '127.0.0.1', '--root', join(base, 'passwd')]),
      EXIT.localFile,
      /^cannot serve --root \S+passwd: it is a file, not a folder$/,
    );
    expectStartError(
      await wirestate(['server', '-l', '0', '--host', '127.0.0.1', '--root', join(base, 'passwd', 'inside')]),
      EXIT.localFile,
      /^cannot serve --root \S+passwd\/inside: \S+passwd is a file, not a folder$/,
    );
  });

  it.each([
    ['server', ['server', '-l', '0']],
    ['share server', ['share', 'server', '0']],
    ['serve-all', ['serve-all', '--only', 'transfer', 'share', '--transfer-port', '0', '--share-port', '0']],
  ])(
    '%s on every address with a --root that is a file: the error alone, no upload warning first',
    async (_case, args) => {
      await writeFile(join(base, 'passwd'), 'root:x:0:0\n');
      const result = await wirestate([...args, '--root', join(base, 'passwd')]);
      expectStartError(result, EXIT.localFile, /^cannot serve --root \S+passwd: it is a file, not a folder$/);
    },
  );

  it.each([
    ['server', (port: number) => ['server', '-l', String(port)]],
    ['share server', (port: number) => ['share', 'server', String(port)]],
    ['serve-all', (port: number) => ['serve-all', '--only', 'transfer', '--transfer-port', String(port)]],
  ])('%s on every address with its port taken: the error alone, in words, no upload warning first', async (_, args) => {
    // Taken on loopback, which binding every address needs too: the server never listens beyond this machine.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const result = await wirestate([...args(port), '--root', join(base, 'files')]);
      expect(result.code).toBe(EXIT.cannotListen);
      expect(result.stdout).not.toMatch(/uploads of any size/);
      expect(result.stdout).toMatch(
        new RegExp(
          `^[^\\n]* error +\\w+: cannot listen on 0\\.0\\.0\\.0:${port} \\(TCP\\): the port is in use \\(EADDRINUSE\\)\\n$`,
        ),
      );
    } finally {
      taken.close();
    }
  });

  // A server's --inspect on a port that is taken: start-errors.e2e.test.ts ('server, --inspect on a port in use').
  it('--inspect on a port that is taken: exit 8, for a client', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      expectOneLine(
        await wirestate(['upper', 'client', '--port', '1', '--inspect', String(port), 'hi']),
        EXIT.cannotListen,
        new RegExp(
          `cannot serve the inspector on 127\\.0\\.0\\.1:${port}: the port is in use \\(EADDRINUSE\\); --inspect PORT picks another`,
        ),
      );
    } finally {
      taken.close();
    }
  });

  it('with --log-format json, a command that cannot start writes one JSON error line where it logs', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as AddressInfo).port);
    const jsonError = (text: string, exitCode: number, message: RegExp) => {
      expect(text.split('\n')).toHaveLength(2);
      expect(JSON.parse(text)).toMatchObject({ level: 'error', event: 'error', exit_code: exitCode });
      expect((JSON.parse(text) as { message: string }).message).toMatch(message);
    };
    try {
      const root = ['--root', join(base, 'files'), '--host', '127.0.0.1', '-l', '0'];
      const server = await wirestate(['server', ...root, '--log-format', 'json', '--inspect', port]);
      expect(server.code).toBe(EXIT.cannotListen);
      expect(server.stderr).toBe('');
      jsonError(server.stdout, EXIT.cannotListen, /cannot serve the inspector/);
      const client = await wirestate(['upper', 'client', '--port', '1', '--log-format=json', '--inspect', port, 'hi']);
      expect(client.code).toBe(EXIT.cannotListen);
      expect(client.stdout).toBe('');
      jsonError(client.stderr, EXIT.cannotListen, /cannot serve the inspector/);
      const record = await wirestate(['client', '--log-format', 'json', '--record', '/proc/nope', '-s', '127.0.0.1:1']);
      expect(record.code).toBe(EXIT.localFile);
      jsonError(record.stderr, EXIT.localFile, /--record/);
      const usage = await wirestate(['client', '--log-format', 'json', '--idle-timeout', 'abc']);
      expect(usage.code).toBe(EXIT.usage);
      jsonError(usage.stderr, EXIT.usage, /idle-timeout/);
    } finally {
      taken.close();
    }
  });

  it('a client that cannot connect says so in words, exit 6', async () => {
    const result = await wirestate(['upper', 'client', '--port', '1', 'hi']);
    expect(result.code).toBe(EXIT.cannotConnect);
    expect(result.stderr).toBe(
      'wirestate upper client: cannot connect to 127.0.0.1:1: connection refused (nothing listens there) (ECONNREFUSED)\n',
    );
  });
});

function untilOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve(seen);
    });
    child.once('exit', (code) => reject(new Error(`exited ${String(code)} before ${pattern}: ${seen}`)));
  });
}

/** Sends SIGTERM to the child's whole process group (npm and the server it started) and waits for it to exit. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    process.kill(-child.pid!, 'SIGTERM');
  });
}

// The README's first commands (npm start, the proxy, the seed's client examples on 50000/50001) run in readme.test.ts,
// in a network namespace of their own; here only ports the OS picks.
describe('the server process', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-process-'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('the server stops on SIGTERM with exit 0', async () => {
    const server = spawn(
      process.execPath,
      [join(REPO, 'dist', 'src', 'cli', 'main.js'), 'server', '-l', '0', '--root', join(base, 'files')],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await untilOutput(server, /listening on/);
    expect(await stop(server)).toBe(0);
  });
});
