/**
 * Ardei's advanced variant against seedpeer.py (../shared/tools), a peer checked byte for byte against the
 * original programs: the wirestate client against its server (the original's chdir that does not move, and
 * --real-chdir), its client (plain and --faithful) against the wirestate server. Every command, replies
 * compared as on the wire (seedpeer prints each reply's Python repr), downloads by sha256.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { SEEDPEER, seedpeer, startPeerServer, type PeerServer } from '../../src/test-support/peers';
import { CLI, ardeiServerOnFreePorts, run, sha256, startCliServer } from '../../src/test-support/processes';
import { python } from '../../src/test-support/python';

/** Every command once: found and missing files (small and 1 MiB), chdir with no argument and an empty one, a directory, an unknown case. */
const COMMANDS = [
  'ls',
  'chdir',
  'chdir ',
  'dl small.txt',
  'dl docs/big.bin',
  'dl missing.txt',
  'dl',
  'dl docs',
  'LS',
  'chdir docs',
  'ls',
  'quit',
];

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-advanced-interop-'));
  root = await realpath(await mkdtemp(join(base, 'root-')));
  await mkdir(join(root, 'docs'));
  await writeFile(join(root, 'small.txt'), 'hello, ardei\n');
  await writeFile(join(root, '.hidden'), 'a dot-file: the original leaves it out of ls');
  await writeFile(join(root, 'docs', 'big.bin'), randomBytes(1024 * 1024));
});
afterAll(() => rm(base, { recursive: true, force: true }));

const folder = (name: string) => mkdtemp(join(base, `${name}-`));

/** seedpeer's advanced client: the lines it printed for the replies (`<cmd> -> <repr>`, `ok <bytes> <sha256>`), in order. */
async function peerClient(port: number, flags: string[], save: string) {
  const result = await seedpeer([
    'advanced',
    'client',
    '127.0.0.1',
    String(port),
    ...COMMANDS,
    '--save',
    save,
    '--timeout',
    '10',
    ...flags,
  ]);
  return {
    code: result.code,
    lines: result.stdout.split('\n').filter((line) => line.includes(' -> ') || line.startsWith('ok ')),
    stderr: result.stderr,
  };
}

/** The replies in seedpeer's lines (its Python reprs read back by Python), 929Z included. */
async function repliesIn(lines: string[]): Promise<string[]> {
  const reprs = lines
    .filter((line) => line.includes(' -> ') && !line.startsWith('quit -> '))
    .map((line) => line.slice(line.indexOf(' -> ') + 4));
  const read = await run(python(), [
    '-c',
    'import ast, json, sys; print(json.dumps([ast.literal_eval(r) for r in sys.argv[1:]]))',
    ...reprs,
  ]);
  return JSON.parse(read.stdout) as string[];
}

/** What the wirestate client prints for those replies: each without its 929Z, a download as the file it saved. */
const printedFor = (replies: string[]) =>
  replies
    .map((reply) => {
      const text = reply.slice(0, -'929Z'.length);
      const dl = /^Sending (?:.*\/)?(.*) size: SpLiT(\d+)$/.exec(text);
      return `${dl ? `Saved ${dl[1]} (${dl[2]} bytes)` : text}\n`;
    })
    .join('');

/** The commands a seedpeer server logged, without the client's address, once it has logged `quits` quits (its log is a pipe: it may trail the client's exit). */
async function commandsLogged(server: PeerServer, quits: number): Promise<string[]> {
  const lines = () =>
    server
      .log()
      .split('\n')
      .filter((line) => / command |: quit$/.test(line))
      .map((line) => line.replace(/^\('127\.0\.0\.1', \d+\): /, ''));
  for (let tries = 0; tries < 100 && lines().filter((line) => line === 'quit').length < quits; tries++)
    await new Promise((settle) => setTimeout(settle, 20));
  return lines();
}

describe.each([
  ['chdir answered, not done (the original)', []],
  ['--real-chdir', ['--real-chdir']],
])('the wirestate client against seedpeer advanced serve, %s', (_label, serveFlags) => {
  let server: PeerServer;
  beforeAll(async () => {
    server = await startPeerServer(SEEDPEER, (port) => [
      'advanced',
      'serve',
      String(port),
      root,
      '--timeout',
      '10',
      ...serveFlags,
    ]);
  });
  afterAll(() => server.stop());

  it('sends what the original client sends, prints every reply as it came, saves the files intact, and quits at the end of input', async () => {
    const oracle = await peerClient(server.port, [], await folder('oracle'));
    const peerCommands = await commandsLogged(server, 1);
    const here = await folder('here');
    // No quit in the input: the client sends it itself.
    const typed = COMMANDS.filter((command) => command !== 'quit').map((command) => `'${command}'`);
    const ours = await run(
      'sh',
      [
        '-c',
        `printf '%s\\n' ${typed.join(' ')} | "${process.execPath}" "${CLI}" ardei client --advanced --port ${server.port}`,
      ],
      { cwd: here },
    );

    expect(ours.stdout).toBe(printedFor(await repliesIn(oracle.lines)));
    expect(ours.code).toBe(EXIT.refused);
    expect(ours.stderr).toMatch(/refused by the server: 11 replies, 5 refused/);
    expect((await commandsLogged(server, 2)).slice(peerCommands.length)).toEqual(peerCommands);
    expect(peerCommands.at(-1)).toBe('quit');
    expect(await sha256(join(here, 'small.txt'))).toBe(await sha256(join(root, 'small.txt')));
    expect(await sha256(join(here, 'big.bin'))).toBe(await sha256(join(root, 'docs', 'big.bin')));
  });
});

describe.each([
  ['plain', []],
  ['--faithful', ['--faithful']],
])('seedpeer advanced client (%s) against the wirestate server', (_label, clientFlags) => {
  it('gets the replies the original server gives, byte for byte (its root shown as /), and the same files', async () => {
    const original = await startPeerServer(SEEDPEER, (port) => [
      'advanced',
      'serve',
      String(port),
      root,
      '--timeout',
      '10',
      '--real-chdir',
    ]);
    const theirs = await peerClient(original.port, clientFlags, await folder('theirs')).finally(() => original.stop());
    const wirestate = await startCliServer(ardeiServerOnFreePorts(root));
    const saved = await folder('saved');
    try {
      await wirestate.logged(/ardei-advanced server listening/);
      const port = Number(/ardei-advanced server listening on [\d.]+:(\d+)/.exec(wirestate.output())![1]);
      const ours = await peerClient(port, clientFlags, saved);
      expect(ours.lines).toEqual(theirs.lines.map((line) => line.replaceAll(`${root}/`, '/').replaceAll(root, '/')));
      expect(ours.lines.at(-1)).toBe("quit -> b'' eof");
      expect(ours.code).toBe(theirs.code);
      expect(ours.code).toBe(3);
      expect(await sha256(join(saved, 'big.bin'))).toBe(await sha256(join(root, 'docs', 'big.bin')));
      expect(await sha256(join(saved, 'small.txt'))).toBe(await sha256(join(root, 'small.txt')));
    } finally {
      wirestate.child.kill('SIGTERM');
      await wirestate.exited;
    }
  });
});
