/** Ardei over real loopback sockets, TCP and UDP, through the CLI: echo, files large and small, streams, the prompt, many clients, and the advanced variant. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/cli/exit-codes';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI, REPO, freePort, run, startCliServer, wirestate, wirestateInTerminal, type ServerProcess } from '../../src/test-support/processes';

let server: ServerProcess;
let tcpPort: number;
let udpPort: number;
beforeAll(async () => {
  server = await startCliServer(['ardei', 'server', '--host', '127.0.0.1', '--tcp-port', '0', '--udp-port', '0']);
  await server.logged(/ardei-udp server listening on [\d.]+:\d+/);
  tcpPort = Number(/ardei server listening on [\d.]+:(\d+)/.exec(server.output())![1]);
  udpPort = Number(/ardei-udp server listening on [\d.]+:(\d+)/.exec(server.output())![1]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const tcp = (...request: string[]) => wirestate(['ardei', 'client', '--port', String(tcpPort), ...request]);
const udp = (...request: string[]) => wirestate(['ardei', 'client', '--udp', '--port', String(udpPort), ...request]);

it('echoes upper-cased over both transports', async () => {
  expect(await tcp('hello', 'there')).toMatchObject({ code: EXIT.ok, stdout: 'HELLO THERE\n' });
  expect(await udp('hello')).toMatchObject({ code: EXIT.ok, stdout: 'HELLO\n' });
});

it('sends a 100 MB generated file over TCP complete', async () => {
  const result = await tcp('100000000');
  expect(result.code).toBe(EXIT.ok);
  expect(result.stdout).toMatch(/^file of 100000000 chars: received 100000000 of 100000000 bytes, 0 lost \(0\.0%\)/);
});

it('sends a 1 MB generated file over UDP on loopback without loss (the server paces its datagrams)', async () => {
  const result = await udp('1000000');
  expect(result.stdout).toMatch(/^file of 1000000 chars: received 1000000 of 1000000 bytes, 0 lost \(0\.0%\)/);
});

it('streams segments over both transports', async () => {
  expect((await tcp('stream-2-20-500')).stdout).toMatch(/^stream of 20 x 500 bytes: received 10000 of 10000 bytes, 0 lost/);
  expect((await udp('stream-2-20-500')).stdout).toMatch(/^stream of 20 x 500 bytes: received 10000 of 10000 bytes, 0 lost/);
});

it('answers what the original ignored with one line', async () => {
  expect((await tcp('--', '-5')).stdout).toBe('Error: a file size is a positive number of chars\n');
  expect((await tcp('123456790')).stdout).toBe('Request for file of 123456790 chars. Server limit is: 123456790 chars.\n');
  expect((await udp('stream-x')).stdout).toBe('Error: a stream request is stream-<interval_ms>-<count>-<size>\n');
});

it("prompts like the original on a terminal: a number, then stream with its three questions, then quit", async () => {
  const shown = await wirestateInTerminal(['ardei', 'client', '--port', String(tcpPort)], '5000\nstream\n1\n3\n10\nhi\nquit\n');
  expect(shown.code).toBe(EXIT.ok);
  expect(shown.stdout).toContain('Enter a number for a file, "stream", "quit", or text to echo: ');
  expect(shown.stdout).toContain('file of 5000 chars: received 5000 of 5000 bytes, 0 lost');
  expect(shown.stdout).toMatch(/Interval between segments \(ms\): .*Number of segments: .*Segment size \(bytes\): /s);
  expect(shown.stdout).toContain('stream of 3 x 10 bytes: received 30 of 30 bytes');
  expect(shown.stdout).toContain('HI\n');
});

it('reads requests from a pipe, one per line, without prompts', async () => {
  const piped = await run('sh', ['-c', `printf 'abc\\n7\\n' | "${process.execPath}" "${CLI}" ardei client --udp --port ${udpPort}`]);
  expect(piped.stdout).toMatch(/^ABC\nfile of 7 chars: received 7 of 7 bytes, 0 lost/);
});

it('serves 20 clients at once over each transport', async () => {
  const results = await Promise.all([...Array.from({ length: 20 }, (_, i) => tcp(String(10_000 + i))), ...Array.from({ length: 20 }, (_, i) => udp(String(10_000 + i)))]);
  results.forEach((result, i) => expect(result.stdout).toContain(`received ${10_000 + (i % 20)} of ${10_000 + (i % 20)} bytes, 0 lost`));
});

describe('the advanced variant', () => {
  let advanced: ServerProcess;
  let root: string;
  let here: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wirestate-ardei-root-'));
    here = await mkdtemp(join(tmpdir(), 'wirestate-ardei-here-'));
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'big.bin'), randomBytes(1024 * 1024 + 3));
    await writeFile(join(root, 'top.txt'), 'top');
    advanced = await startCliServer(['ardei', 'server', '--host', '127.0.0.1', '--tcp-port', '0', '--udp-port', '0', '--advanced', '0', '--root', root]);
    await advanced.logged(/ardei-advanced server listening/);
  });
  afterAll(async () => {
    advanced.child.kill('SIGTERM');
    await advanced.exited;
    await rm(root, { recursive: true, force: true });
    await rm(here, { recursive: true, force: true });
  });

  const port = () => /ardei-advanced server listening on [\d.]+:(\d+)/.exec(advanced.output())![1];
  const session = (commands: string) => run('sh', ['-c', `printf '${commands}' | "${process.execPath}" "${CLI}" ardei client --advanced --port ${port()}`], { cwd: here });

  it('lists, changes directory inside the root only, and downloads a file byte for byte', async () => {
    const result = await session('ls\\nchdir docs\\ndl big.bin\\nchdir ../../..\\nquit\\n');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toBe(
      'Current Working Directory: /\n\nFolders: \n\ndocs\n\nFiles: \n\ntop.txt\n\n' +
        'The new current working directory on the server is: /docs\n' +
        `Saved big.bin (${1024 * 1024 + 3} bytes)\n` +
        'The new current working directory on the server is: /\n',
    );
    expect((await readFile(join(here, 'big.bin'))).equals(await readFile(join(root, 'docs', 'big.bin')))).toBe(true);
  });

  it('keeps a working directory per connection', async () => {
    const [first, second] = await Promise.all([session('chdir docs\\nls\\nquit\\n'), session('ls\\nquit\\n')]);
    expect(first.stdout).toContain('Current Working Directory: /docs');
    expect(second.stdout).toContain('Current Working Directory: /\n');
  });

  it('on a terminal, prompts for each command', async () => {
    const shown = await wirestateInTerminal(['ardei', 'client', '--advanced', '--port', port()], 'chdir nowhere\nquit\n');
    expect(shown.stdout).toContain('ls, chdir PATH, dl PATH or quit: ');
    expect(shown.stdout).toContain('Not a recognised directory.\n');
  });
});

describe('against a stand-in for the original programs', () => {
  const PEER = join(REPO, 'fixtures', 'peers', 'ardei_seed_peer.py');

  it('serves the original clients over TCP and UDP', async () => {
    const peer = (kind: string, port: number, text: string) => run('python3', [PEER, 'client', kind, '127.0.0.1', String(port), text]);
    expect((await peer('tcp', tcpPort, 'hello')).stdout).toBe('text HELLO\n');
    expect((await peer('tcp', tcpPort, '300000')).stdout).toBe('data 300000\n');
    expect((await peer('udp', udpPort, 'hello')).stdout).toBe('text HELLO\n');
    expect((await peer('udp', udpPort, '100000')).stdout).toBe('data 100000\n');
  });

  it('talks to the original servers over TCP and UDP', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const original = spawn('python3', [PEER, 'serve', String(tcp), String(udp)], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(original.stdout!, 'data');
      const client = (...args: string[]) => wirestate(['ardei', 'client', ...args]);
      expect((await client('--port', String(tcp), 'hello')).stdout).toBe('HELLO\n');
      expect((await client('--port', String(tcp), '300000')).stdout).toMatch(/^file of 300000 chars: received 300000 of 300000 bytes, 0 lost/);
      expect((await client('--udp', '--port', String(udp), 'hello')).stdout).toBe('HELLO\n');
      expect((await client('--udp', '--port', String(udp), 'stream-0-5-100')).stdout).toMatch(/^stream of 5 x 100 bytes: received 500 of 500 bytes, 0 lost/);
    } finally {
      original.kill();
    }
  });
});

describe('the advanced variant against a stand-in for the original programs', () => {
  const PEER = join(REPO, 'fixtures', 'peers', 'ardei_seed_peer.py');
  let root: string;
  let here: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'wirestate-ardei-peer-root-'));
    here = await mkdtemp(join(tmpdir(), 'wirestate-ardei-peer-here-'));
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'a.bin'), randomBytes(200_000));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(here, { recursive: true, force: true });
  });

  it('serves the original client: commands without newlines, read once each, and a dl split by size', async () => {
    const server = await startCliServer(['ardei', 'server', '--host', '127.0.0.1', '--tcp-port', '0', '--udp-port', '0', '--advanced', '0', '--root', root]);
    try {
      await server.logged(/ardei-advanced server listening/);
      const port = /ardei-advanced server listening on [\d.]+:(\d+)/.exec(server.output())![1];
      const result = await run('python3', [PEER, 'advanced-client', '127.0.0.1', port, 'chdir docs', 'dl a.bin', 'bogus'], { cwd: here });
      expect(result.stdout).toBe('The new current working directory on the server is: /docs\nSending a.bin size: SpLiT200000\nUnrecognized Command!\n');
      expect((await readFile(join(here, 'a.bin'))).equals(await readFile(join(root, 'docs', 'a.bin')))).toBe(true);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('talks to the original server', async () => {
    const port = await freePort();
    const original = spawn('python3', [PEER, 'advanced-serve', String(port), root], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(original.stdout!, 'data');
      const result = await run('sh', ['-c', `printf 'chdir docs\\ndl a.bin\\nquit\\n' | "${process.execPath}" "${CLI}" ardei client --advanced --port ${port}`], { cwd: here });
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout).toContain('Saved a.bin (200000 bytes)');
      expect((await readFile(join(here, 'a.bin'))).equals(await readFile(join(root, 'docs', 'a.bin')))).toBe(true);
    } finally {
      original.kill();
    }
  });
});
