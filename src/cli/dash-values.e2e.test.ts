/**
 * A client's file name starting with `-`, typed as the word after `-v` or `-l`: yargs would read it as flags
 * (`-v -dash` as -d -a -s -h, the help, exit 0). It is refused in one line saying how to write it (exit 2),
 * never the help; written so (`-v=-dash`), it is the name. So is any flag's value (`--record -traces`). A word of
 * upper, sum or ardei that starts with - and is no flag of theirs (`-hello`, `-1e3`) is refused saying it goes
 * after `--`, wherever the command's flags stand. Real processes on loopback.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { freePort, startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let root: string;
let server: ServerProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-dash-values-'));
  await writeFile(join(root, '-dash'), 'dashed bytes\n');
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

it.each([
  [['-v', '-dash'], '-v needs a value, and -dash starts with - so it reads as options: write -v=-dash'],
  [['-v', '-h'], '-v needs a value, and -h starts with - so it reads as options: write -v=-h'],
  [['-v', 'a', '-l', '-vh'], '-l needs a value, and -vh starts with - so it reads as options: write -l=-vh'],
  [
    ['--server-file-name', '--help'],
    '--server-file-name needs a value, and --help starts with - so it reads as options: write --server-file-name=--help',
  ],
  [
    ['--list-file', '-dash'],
    '--list-file needs a value, and -dash starts with - so it reads as options: write --list-file=-dash',
  ],
  [
    ['--record', '-dash', '-v', 'x'],
    '--record needs a value, and -dash starts with - so it reads as options: write --record=-dash',
  ],
])('client %j is refused in one line, exit 2, no help', async (words, why) => {
  const result = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, ...words]);
  expect(result).toEqual({ code: EXIT.usage, stdout: '', stderr: `wirestate: ${why}; see --help\n` });
});

it("transfer client (the same command under the protocol's name) refuses -v -dash the same way", async () => {
  const result = await wirestate(['transfer', 'client', '-s', `127.0.0.1:${server.port}`, '-v', '-dash']);
  const why = '-v needs a value, and -dash starts with - so it reads as options: write -v=-dash';
  expect(result).toEqual({ code: EXIT.usage, stdout: '', stderr: `wirestate: ${why}; see --help\n` });
});

it('-v=-dash downloads the file named -dash', async () => {
  const local = await mkdtemp(join(tmpdir(), 'wirestate-dash-local-'));
  const result = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '-v=-dash', '-l', join(local, 'got')]);
  expect(result.code).toBe(EXIT.ok);
  expect(await readFile(join(local, 'got'), 'utf8')).toBe('dashed bytes\n');
});

describe('the clients whose words may start with - (upper, sum, ardei)', () => {
  it.each([
    [['upper', 'client', '-hello'], '-hello', 'upper'],
    [['sum', 'client', '-bob', '3'], '-bob', 'sum'],
    [['ardei', 'client', '--udp', '-list'], '-list', 'ardei'],
    [['upper', '-d', 'client', '-hello'], '-hello', 'upper'],
    [['upper', '--inspect', '0', 'client', '-hello'], '-hello', 'upper'],
    [['sum', 'client', 'Alice', '-1e3'], '-1e3', 'sum'],
    [['upper', 'client', '-x'], '-x', 'upper'],
  ])('%j is refused in one line naming the word and --, exit 2, no help', async (words, word, command) => {
    expect(await wirestate(words)).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: `wirestate: ${word} is no option of this command: a word that starts with - goes after -- (wirestate ${command} client -- ${word} ...); see --help\n`,
    });
  });

  it('a flag value that starts with - is said as one: --record -traces, written --record=-traces', async () => {
    expect(await wirestate(['upper', 'client', '--record', '-traces', 'hello'])).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr:
        'wirestate: --record needs a value, and -traces starts with - so it reads as options: write --record=-traces; see --help\n',
    });
  });

  it('with a shared flag between the protocol and client (--log-format json): refused as a JSON line', async () => {
    const result = await wirestate(['upper', '--log-format', 'json', 'client', '-hello']);
    expect(result.code).toBe(EXIT.usage);
    expect(JSON.parse(result.stderr)).toMatchObject({
      level: 'error',
      exit_code: EXIT.usage,
      message: expect.stringMatching(/^-hello is no option of this command/),
    });
  });

  it.each([
    [['sum', 'client', 'Alice', '-5']],
    [['upper', 'client', 'hi', '-.5']],
    [['upper', 'client', '--', '-hello']],
  ])('%j is taken as words: the client goes on to connect', async (words) => {
    // A port the OS picked and let go: nothing listens there, so getting as far as connecting is exit 6.
    const port = String(await freePort());
    const result = await wirestate([...words.slice(0, 2), '--port', port, ...words.slice(2)]);
    expect(result.code).toBe(EXIT.cannotConnect);
  });
});

it.each([[['client', '--json', '-v', '-dash']], [['upper', 'client', '--json', '-hello']]])(
  '%j still prints its --json object on stdout, code usage',
  async (words) => {
    const result = await wirestate(words);
    expect(result.code).toBe(EXIT.usage);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, outcome: 'not_started', code: 'usage', exit_code: 2 });
    expect(result.stderr).toMatch(/^wirestate: .* starts with - .*; see --help\n$/);
  },
);

describe('the other clients: a dash word that is none of their flags', () => {
  it.each([
    [['client', '-hello-wait', '1'], 'unknown option -hello-wait'],
    [
      ['client', '-dl', '-hello.txt'],
      '-l needs a value, and -hello.txt starts with - so it reads as options: write -l=-hello.txt',
    ],
    [['queue', 'client', '127.0.0.1', '9', 'tcp', 'send', '-hello.txt'], 'unknown option -hello.txt'],
    [
      ['share', 'client', '127.0.0.1', '9', 'get', 'x', '-do', '-out'],
      '-o needs a value, and -out starts with - so it reads as options: write -o=-out',
    ],
  ])('%j is refused in one line, exit 2, no help', async (words, why) => {
    expect(await wirestate(words)).toEqual({ code: EXIT.usage, stdout: '', stderr: `wirestate: ${why}; see --help\n` });
  });

  it("a group of the transfer client's own short flags (-ql FILE) is still its flags: the run goes on", async () => {
    const local = await mkdtemp(join(tmpdir(), 'wirestate-dash-group-'));
    const result = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '-v=-dash', '-ql', join(local, 'got')]);
    expect(result.code).toBe(EXIT.ok);
    expect(await readFile(join(local, 'got'), 'utf8')).toBe('dashed bytes\n');
  });
});
