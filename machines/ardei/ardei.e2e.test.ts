/** Ardei over real loopback sockets, TCP and UDP, through the CLI: echo, files large and small, streams, the prompt, clients at once, and the advanced variant. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { createServer, type AddressInfo } from 'node:net';
import {
  CLI,
  freePort,
  run,
  startCliServer,
  wirestate,
  wirestateInTerminal,
  type ServerProcess,
  ardeiServerOnFreePorts,
  ardeiTcpPort,
} from '../../src/test-support/processes';

let server: ServerProcess;
let tcpPort: number;
let udpPort: number;
beforeAll(async () => {
  // Many UDP clients at once come from one address: room for them all (the per-address limit has its own tests).
  server = await startCliServer([...ardeiServerOnFreePorts(), '--max-peers-per-address', '40']);
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

it("replays its recorded TCP traces as they ran: the quiet period, the pause before a file, a stream's intervals", async () => {
  const traces = await mkdtemp(join(tmpdir(), 'wirestate-ardei-traces-'));
  const recording = await startCliServer([...ardeiServerOnFreePorts(), '--record', traces]);
  try {
    const port = String(await ardeiTcpPort(recording));
    for (const request of ['hello', '1000', 'stream-5-3-10'])
      expect(await wirestate(['ardei', 'client', '--port', port, request])).toMatchObject({ code: EXIT.ok });
    const files = (await readdir(traces)).filter((name) => name.endsWith('.jsonl'));
    expect(files).toHaveLength(3);
    for (const file of files)
      expect(await wirestate(['replay', '--check', join(traces, file)])).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('replay in 1-byte pieces: same bytes, same states, same outcome'),
      });
  } finally {
    recording.child.kill('SIGTERM');
    await recording.exited;
    await rm(traces, { recursive: true, force: true });
  }
});

it('sends a 100 MB generated file over TCP complete', async () => {
  const result = await tcp('100000000');
  expect(result.code).toBe(EXIT.ok);
  expect(result.stdout).toMatch(/^file of 100000000 chars: received 100000000 of 100000000 bytes, 0 lost \(0\.0%\)/);
});

it('sends a 1 MB generated file over UDP on loopback without loss (the server paces its datagrams), once the UDP limits are lifted', async () => {
  expect(await udp('1000000')).toMatchObject({
    code: EXIT.refused,
    stdout: 'Error: this server sends at most 65536 bytes a request over UDP; ask over TCP\n',
  });
  const unlimited = await startCliServer([...ardeiServerOnFreePorts(), '--udp-max-reply', '0', '--udp-max-rate', '0']);
  try {
    await unlimited.logged(/ardei-udp server listening on [\d.]+:\d+/);
    const port = /ardei-udp server listening on [\d.]+:(\d+)/.exec(unlimited.output())![1];
    const result = await wirestate(['ardei', 'client', '--udp', '--port', port, '1000000']);
    expect(result.stdout).toMatch(/^file of 1000000 chars: received 1000000 of 1000000 bytes, 0 lost \(0\.0%\)/);
  } finally {
    unlimited.child.kill('SIGTERM');
    await unlimited.exited;
  }
});

it('streams segments over both transports', async () => {
  expect((await tcp('stream-2-20-500')).stdout).toMatch(
    /^stream of 20 x 500 bytes: received 10000 of 10000 bytes, 0 lost/,
  );
  expect((await udp('stream-2-20-500')).stdout).toMatch(
    /^stream of 20 x 500 bytes: received 10000 of 10000 bytes, 0 lost/,
  );
});

it('answers what the original ignored with one line, which the client prints and exits 3 on (refused by the server)', async () => {
  expect(await tcp('--', '-5')).toMatchObject({
    code: EXIT.refused,
    stdout: 'Error: a file size is a positive number of chars\n',
  });
  expect(await tcp('123456790')).toMatchObject({
    code: EXIT.refused,
    stdout: 'Request for file of 123456790 chars. Server limit is: 123456790 chars.\n',
  });
  expect(await udp('123456791')).toMatchObject({
    code: EXIT.refused,
    stdout: 'Request for file of 123456791 chars. Server limit is: 123456790 chars.\n',
  });
  expect(await udp('stream-x')).toMatchObject({
    code: EXIT.refused,
    stdout: 'Error: a stream request is stream-<interval_ms>-<count>-<size>\n',
  });
});

it('exits 6 (cannot connect) when nothing listens, over UDP as over TCP', async () => {
  const port = String(await freePort());
  expect((await wirestate(['ardei', 'client', '--port', port, 'hello'])).code).toBe(EXIT.cannotConnect);
  expect(await wirestate(['ardei', 'client', '--udp', '--port', port, 'hello'])).toMatchObject({
    code: EXIT.cannotConnect,
    stderr: expect.stringContaining('ECONNREFUSED'),
  });
});

it('prompts like the original on a terminal: a number, then stream with its three questions, then quit', async () => {
  const shown = await wirestateInTerminal(
    ['ardei', 'client', '--port', String(tcpPort)],
    '5000\nstream\n1\n3\n10\nhi\nquit\n',
  );
  expect(shown.code).toBe(EXIT.ok);
  expect(shown.stdout).toContain('Enter a number for a file, "stream", "quit", or text to echo: ');
  expect(shown.stdout).toContain('file of 5000 chars: received 5000 of 5000 bytes, 0 lost');
  expect(shown.stdout).toMatch(/Interval between segments \(ms\): .*Number of segments: .*Segment size \(bytes\): /s);
  expect(shown.stdout).toContain('stream of 3 x 10 bytes: received 30 of 30 bytes');
  expect(shown.stdout).toContain('HI\n');
});

it('reads requests from a pipe, one per line, without prompts', async () => {
  const piped = await run('sh', [
    '-c',
    `printf 'abc\\n7\\n' | "${process.execPath}" "${CLI}" ardei client --udp --port ${udpPort}`,
  ]);
  expect(piped.stdout).toMatch(/^ABC\nfile of 7 chars: received 7 of 7 bytes, 0 lost/);
});

// Each client is a process (~0.4 s CPU to start): 5 a transport overlap on the server as 20 did, at a quarter of the cost.
it('serves 5 clients at once over each transport', async () => {
  const results = await Promise.all([
    ...Array.from({ length: 5 }, (_, i) => tcp(String(10_000 + i))),
    ...Array.from({ length: 5 }, (_, i) => udp(String(10_000 + i))),
  ]);
  results.forEach((result, i) =>
    expect(result.stdout).toContain(`received ${10_000 + (i % 5)} of ${10_000 + (i % 5)} bytes, 0 lost`),
  );
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
    advanced = await startCliServer(ardeiServerOnFreePorts(root));
    await advanced.logged(/ardei-advanced server listening/);
  });
  afterAll(async () => {
    advanced.child.kill('SIGTERM');
    await advanced.exited;
    await rm(root, { recursive: true, force: true });
    await rm(here, { recursive: true, force: true });
  });

  const port = () => /ardei-advanced server listening on [\d.]+:(\d+)/.exec(advanced.output())![1];
  const session = (commands: string) =>
    run(
      'sh',
      ['-c', `printf '${commands}' | "${process.execPath}" "${CLI}" ardei client --advanced --port ${port()}`],
      { cwd: here },
    );

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

  it('sends no command holding 929Z, which would end it early on the wire: says so, goes on, exits 3', async () => {
    const result = await session('dl f 929Z.txt\\nls\\nquit\\n');
    expect(result.code).toBe(EXIT.refused);
    expect(result.stderr).toContain('not sent: "dl f 929Z.txt" holds 929Z, which ends a command on the wire');
    expect(result.stdout).toContain('Current Working Directory: /\n');
    expect(result.stdout).not.toMatch(/Invalid File|Unrecognized/);
  });

  it('keeps a working directory per connection', async () => {
    const [first, second] = await Promise.all([session('chdir docs\\nls\\nquit\\n'), session('ls\\nquit\\n')]);
    expect(first.stdout).toContain('Current Working Directory: /docs');
    expect(second.stdout).toContain('Current Working Directory: /\n');
  });

  it('on a terminal, prompts for each command', async () => {
    const shown = await wirestateInTerminal(
      ['ardei', 'client', '--advanced', '--port', port()],
      'chdir nowhere\nquit\n',
    );
    expect(shown.stdout).toContain('ls, chdir PATH, dl PATH or quit: ');
    expect(shown.stdout).toContain('Not a recognised directory.\n');
  });

  it("sends the original client's bytes: its key, each command and 929Z, and quit at the end of input", async () => {
    let received = Buffer.alloc(0);
    const original = createServer((socket) => {
      socket.write('bthDataComServerKey');
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.toString().endsWith('quit929Z')) socket.end();
        else if (received.toString().endsWith('929Z')) socket.write('Not a recognised directory.929Z');
      });
    });
    await new Promise<void>((listening) => original.listen(0, '127.0.0.1', listening));
    try {
      const result = await run('sh', [
        '-c',
        `printf 'chdir\\n' | "${process.execPath}" "${CLI}" ardei client --advanced --port ${(original.address() as AddressInfo).port}`,
      ]);
      expect(result.stdout).toBe('Not a recognised directory.\n');
      expect(received.toString()).toBe('bthDataComClientKeychdir929Zquit929Z');
      expect(result.code).toBe(EXIT.refused);
    } finally {
      original.close();
    }
  });
});
