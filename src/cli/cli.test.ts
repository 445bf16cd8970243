/** The `wirestate` command as a person meets it: help, argument errors, and the seed README's commands via npm. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { REPO, run, wirestate } from '../test-support/processes';

describe('help and usage', () => {
  it('--help lists the commands and exits 0', async () => {
    const result = await wirestate(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wirestate server/);
    expect(result.stdout).toMatch(/wirestate client/);
  });

  it.each([['-?'], ['--usage'], ['--help']])('client %s prints the seed flags and exits 0', async (flag) => {
    const result = await wirestate(['client', flag]);
    expect(result.code).toBe(0);
    for (const option of ['--mode', '--server', '--server-file-name', '--client-file-name', '--debug', '--quiet']) {
      expect(result.stdout).toContain(option);
    }
  });

  const everyCommand = ['server', 'client', 'transfer server', 'transfer client', 'queue server', 'queue client', 'upper server', 'upper client', 'sum server', 'sum client', 'blocks server', 'blocks client', 'share server', 'share client', 'ardei server', 'ardei client', 'serve-all', 'proxy', 'replay'];
  it.each(everyCommand)('%s -h prints its usage and exits 0, as the seeds\' -h, --help', async (command) => {
    const result = await wirestate([...command.split(' '), '-h']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^wirestate ${command}\\b`));
    expect(result.stdout).toMatch(/-h, -\?, --help/);
  });

  it.each([
    ['an unknown mode', ['client', '--mode', 'sideways'], /Invalid values/],
    ['a server without a port', ['client', '-s', 'nonsense'], /expected host:port/],
    ['a 256-byte server file name', ['client', '-v', 'x'.repeat(256)], /at most 255/],
    ['a port out of range', ['server', '-l', '70000'], /--listen-port must be 0\.\.65535/],
    ['an unknown flag', ['server', '--bogus'], /Unknown argument: bogus/],
    ['no command', [], /name a command/],
  ])('%s: one-line error, then usage, exit 2', async (_case, args, error) => {
    const result = await wirestate(args);
    expect(result.code).toBe(EXIT.usage);
    const [first, blank] = result.stderr.split('\n');
    expect(first).toMatch(/^wirestate: /);
    expect(first).toMatch(error);
    expect(blank).toBe('');
    expect(result.stderr).toMatch(/Options:/);
  });
});

/** Stands in for the seed's stammer proxy: forwards 50000 to 50001 unchanged. */
function forwarder(from: number, to: number): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (inbound) => {
    const outbound = connect({ port: to, host: '127.0.0.1', allowHalfOpen: true });
    for (const socket of [inbound, outbound]) socket.on('error', () => (inbound.destroy(), outbound.destroy()));
    inbound.pipe(outbound).pipe(inbound);
  });
  return new Promise((resolve) => server.listen(from, '127.0.0.1', () => resolve(server)));
}

function npmScript(args: string[], cwd: string): ChildProcess {
  return spawn('npm', ['--prefix', REPO, '--silent', ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
}

function untilOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve(seen);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${seen}`)));
  });
}

/** Sends SIGTERM to the child's whole process group (npm and the server it started) and waits for it to exit. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    process.kill(-child.pid!, 'SIGTERM');
  });
}

describe("the seed README's examples, through the npm scripts", () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-seed-'));
    await mkdir(join(base, 'files'));
    await mkdir(join(base, 'client'));
    await writeFile(join(base, 'files', 'speech.txt'), 'Four score and seven years ago\n'.repeat(200));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('npm run server -- -l 50001; npm run client -- -m download|upload -s 127.0.0.1:50000 ...', async () => {
    const server = npmScript(['run', 'server', '--', '-l', '50001'], base);
    const proxy = await forwarder(50000, 50001);
    try {
      await untilOutput(server, /listening on 0\.0\.0\.0:50001/);
      const client = join(base, 'client');
      const download = await run('npm', ['--prefix', REPO, '--silent', 'run', 'client', '--', '-m', 'download', '-s', '127.0.0.1:50000', '-l', 'client_speech.txt', '-v', 'speech.txt'], { cwd: client });
      expect(download.code).toBe(0);
      expect(await readFile(join(client, 'client_speech.txt'))).toEqual(await readFile(join(base, 'files', 'speech.txt')));

      const upload = await run('npm', ['--prefix', REPO, '--silent', 'run', 'client', '--', '-m', 'upload', '-s', '127.0.0.1:50000', '-l', 'client_speech.txt', '-v', 'server_speech.txt'], { cwd: client });
      expect(upload.code).toBe(0);
      expect(await readFile(join(base, 'files', 'server_speech.txt'))).toEqual(await readFile(join(client, 'client_speech.txt')));
    } finally {
      proxy.close();
      await stop(server);
    }
  });

  it('npm start serves ./files on port 50001', async () => {
    const server = npmScript(['start'], base);
    try {
      const output = await untilOutput(server, /serving /);
      expect(output).toMatch(/listening on 0\.0\.0\.0:50001/);
      expect(output).toContain(`serving ${join(base, 'files')}`);
    } finally {
      await stop(server);
    }
  });

  it('the server stops on SIGTERM with exit 0', async () => {
    const server = spawn(process.execPath, [join(REPO, 'dist', 'src', 'cli', 'main.js'), 'server', '-l', '0', '--root', join(base, 'files')], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await untilOutput(server, /listening on/);
    expect(await stop(server)).toBe(0);
  });
});
