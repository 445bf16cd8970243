/**
 * What an upload announces is what it sends: a file whose size stat cannot tell (a /proc file, a pipe, a
 * character device), a folder, and a file that shrinks, grows or is rewritten while its bytes are on their way. Real processes, real files.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { appendFile, chmod, link, mkdtemp, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { formatBytes } from '../log/logger';
import { gatedRelay } from '../test-support/gated-relay';
import { CLI, run, startCliServer, startServerProcess, type ServerProcess } from '../test-support/processes';

let root: string;
let local: string;
let server: ServerProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-upsrc-root-'));
  local = await mkdtemp(join(tmpdir(), 'wirestate-upsrc-local-'));
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const upload = (name: string, path: string, port = server.port) =>
  run(process.execPath, [CLI, 'client', '-s', `127.0.0.1:${port}`, '-m', 'upload', '-v', name, '-l', path]);

it('a /proc file that stat calls empty uploads its real content', async () => {
  const result = await upload('status.txt', '/proc/self/status');
  expect(result).toMatchObject({ code: EXIT.ok });
  const stored = await readFile(join(root, 'status.txt'), 'utf8');
  expect(stored).toMatch(/^Name:\s+\S+\n/);
  expect(result.stderr).toContain(`uploaded ${formatBytes(stored.length)} in `);
});

it('share client put of a /proc file stores its real content', async () => {
  const share = await startCliServer(['share', 'server', '0', '--host', '127.0.0.1', '--root', root]);
  try {
    const result = await run(process.execPath, [
      CLI,
      'share',
      'client',
      '127.0.0.1',
      `${share.port}`,
      'put',
      '/proc/self/status',
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(await readFile(join(root, 'status'), 'utf8')).toMatch(/^Name:\s+\S+\n/);
  } finally {
    share.child.kill('SIGTERM');
    await share.exited;
  }
});

it('a named pipe uploads what its writer sends', async () => {
  const fifo = join(local, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const writer = run('sh', ['-c', `printf 'through a named pipe\\n' > "${fifo}"`]);
  const result = await upload('piped.txt', fifo);
  expect((await writer).code).toBe(0);
  expect(result.code).toBe(EXIT.ok);
  expect(await readFile(join(root, 'piped.txt'), 'utf8')).toBe('through a named pipe\n');
});

/**
 * A client uploading its stdin as `name` to `port`, its temporary folder one of its own (TMPDIR), so a test sees
 * the copy come and go: the stdin to write into, what it said on stderr so far, and its exit.
 */
async function stdinUpload(port: number, name: string, ...more: string[]) {
  const temporary = await mkdtemp(join(tmpdir(), 'wirestate-upsrc-spool-'));
  const child = spawn(
    process.execPath,
    [CLI, 'client', '-s', `127.0.0.1:${port}`, '-m', 'upload', '-v', name, '-l', '-', ...more],
    {
      env: { ...process.env, TMPDIR: temporary },
      stdio: ['pipe', 'ignore', 'pipe'],
      timeout: 30_000,
    },
  );
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  child.stdin.on('error', () => undefined); // EPIPE once the client is gone
  return { temporary, child, stderr: () => said, exited: once(child, 'exit') };
}

it.each([
  ['SIGINT', 130, 'Ctrl-C'],
  ['SIGTERM', 143, 'SIGTERM'],
] as const)(
  '%s (then more) while stdin is being copied removes the copy, says so and exits %i',
  async (signal, code, words) => {
    const { temporary, child, stderr, exited } = await stdinUpload(server.port, 'never.bin');
    child.stdin.write(Buffer.alloc(1024 * 1024, 1)); // and never ended
    for (let tries = 0; (await readdir(temporary)).length === 0 && tries < 200; tries++) await delay(50);
    expect(await readdir(temporary)).toHaveLength(1);
    // More follow for 50 ms, as a supervisor passing each on would send them: the first decides (before, a second
    // one killed the process with no line, the copy left behind).
    const until = performance.now() + 50;
    while (performance.now() < until && child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toEqual([code, null]);
    expect(stderr()).toContain(
      `upload interrupted (${words}) while copying its input: nothing was sent, and the copy is removed`,
    );
    expect(await readdir(temporary)).toEqual([]);
    expect(await readdir(root)).not.toContain('never.bin');
  },
);

it('with --log-format json, Ctrl-C while stdin is being copied says so as a JSON line with the fields of a stopped transfer', async () => {
  // Before, the plain line alone, whatever --log-format said.
  const { temporary, child, stderr, exited } = await stdinUpload(server.port, 'json.bin', '--log-format', 'json');
  child.stdin.write(Buffer.alloc(1024 * 1024, 1)); // and never ended
  for (let tries = 0; (await readdir(temporary)).length === 0 && tries < 200; tries++) await delay(50);
  child.kill('SIGINT');
  expect(await exited).toEqual([130, null]);
  expect(JSON.parse(stderr().trim().split('\n').pop() ?? '{}')).toMatchObject({
    event: 'interrupted',
    message: 'upload interrupted (Ctrl-C) while copying its input: nothing was sent, and the copy is removed',
    operation: 'upload',
    name: 'json.bin',
    signal: 'SIGINT',
    bytes: 0,
    resumable: false,
    exit_code: 130,
  });
  expect(await readdir(temporary)).toEqual([]);
});

it('Ctrl-C while the copy of stdin is being sent removes the copy too', async () => {
  // A server that takes the connection and never answers: the client waits, its copy made.
  const silent = createServer((socket) => socket.on('error', () => undefined)).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const { temporary, child, stderr, exited } = await stdinUpload((silent.address() as AddressInfo).port, 'x.bin');
  child.stdin.end(Buffer.alloc(64 * 1024, 2));
  const [connection] = (await once(silent, 'connection')) as [Socket];
  // The session is under way once the hello has gone unanswered.
  while (!stderr().includes('no reply to hello')) await once(child.stderr, 'data');
  expect(await readdir(temporary)).toHaveLength(1);
  child.kill('SIGINT');
  expect((await exited)[0]).toBe(130);
  connection.destroy();
  silent.close();
  expect(await readdir(temporary)).toEqual([]);
});

it('/dev/null uploads an empty file, as curl -T /dev/null does', async () => {
  const result = await upload('empty.txt', '/dev/null');
  expect(result).toMatchObject({ code: EXIT.ok });
  // No rate for nothing moved: it read `uploaded 0 B in 0.09 s (0 B/s)`.
  expect(result.stderr).toMatch(/^uploaded 0 B in \d+\.\d\d s$/m);
  expect(await readFile(join(root, 'empty.txt'))).toHaveLength(0);
});

it('/dev/zero, a device that never ends, is refused in one line, and nothing is stored', async () => {
  const result = await upload('zeros.bin', '/dev/zero');
  expect(result).toMatchObject({
    code: EXIT.localFile,
    stderr:
      'wirestate client: /dev/zero has no size (stat says 0 B) and holds more than 64.0 MiB: ' +
      'copy it to a file first, or pipe it into -l -\n',
  });
  expect(await readdir(root)).not.toContain('zeros.bin');
});

it('a folder is refused in one line, and nothing is sent', async () => {
  const result = await upload('folder', local);
  expect(result.code).toBe(EXIT.localFile);
  expect(result.stderr).toBe(`wirestate client: ${local} is a folder: name a file to upload\n`);
  expect(await readdir(root)).not.toContain('folder');
});

describe('a file that changes while being sent fails loudly and stores nothing', () => {
  const SIZE = 32 * 1024 * 1024;
  const changing = async (name: string, change: (path: string) => Promise<void>) => {
    const path = join(local, name);
    await writeFile(path, Buffer.alloc(SIZE, 'x'));
    // Held once 1 MiB is through: the client then blocks on a full socket long before it has read 32 MiB (the
    // socket buffers between it and the relay take a few MiB).
    const relay = await gatedRelay(server.port, 1024 * 1024);
    try {
      const result = upload(name, path, relay.port);
      await relay.held;
      await change(path);
      relay.open();
      return await result;
    } finally {
      await relay.close();
    }
  };

  it('shrinks', async () => {
    const result = await changing('shrinks.bin', (path) => truncate(path, 1));
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toMatch(
      /\nwirestate client: \S+shrinks\.bin changed while being sent: ended after \d+ of the 33554432 bytes announced\n$/,
    );
    expect(await readdir(root)).not.toContain('shrinks.bin');
  });

  it('grows', async () => {
    const result = await changing('grows.bin', (path) => appendFile(path, 'more'));
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toMatch(
      /\nwirestate client: \S+grows\.bin changed while being sent: grew past the 33554432 bytes announced\n$/,
    );
    expect(await readdir(root)).not.toContain('grows.bin');
  });

  it('is rewritten in place, its size unchanged', async () => {
    const result = await changing('rewritten.bin', (path) => writeFile(path, Buffer.alloc(SIZE, 'y'), { flag: 'r+' }));
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toMatch(
      /\nwirestate client: \S+rewritten\.bin changed while being sent: rewritten while it was read\n$/,
    );
    expect(await readdir(root)).not.toContain('rewritten.bin');
  });

  it('is not failed by a change of its status alone (a chmod, a new hard link): its bytes are as they were', async () => {
    const result = await changing('chmod.bin', async (path) => {
      await chmod(path, 0o600);
      await link(path, `${path}.link`);
    });
    expect(result.code).toBe(EXIT.ok);
    expect((await readFile(join(root, 'chmod.bin'))).equals(Buffer.alloc(SIZE, 'x'))).toBe(true);
  });
});
