/**
 * A client stopped by Ctrl-C (SIGINT) or SIGTERM in the middle of a download removes its
 * `.wirestate-part` file: real client processes, a server on loopback that stalls mid-file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { watch } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeOk } from '../../machines/blocks/codec';
import { STATUS, encodeDownloadReply, encodeStatus } from '../../machines/transfer/frames';
import { CLI, startCliServer } from '../test-support/processes';
import { stammerTo } from '../test-support/stammer';
import { python } from '../test-support/python';
import { watchedClient } from '../test-support/watched-client';

let folder: string;
let server: Server | undefined;
beforeEach(async () => (folder = await mkdtemp(join(tmpdir(), 'client-signal-'))));
afterEach(async () => {
  server?.close();
  server = undefined;
  await rm(folder, { recursive: true, force: true });
});

let asked: Promise<unknown>;

/** A server that answers each message from the client with the next of `answers`, then stalls; `asked` settles on the first. It knows no hello: the transfer client runs with --plain. */
async function stalling(...answers: Buffer[]): Promise<number> {
  const sockets: Socket[] = [];
  // Half-open allowed: a client that ends its side (the queue client after <<GET>>) is not answered with a FIN.
  server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    const left = [...answers];
    socket.on('data', () => left.length > 0 && socket.write(left.shift()!));
  }).listen(0, '127.0.0.1');
  asked = once(server, 'connection').then(([socket]) => once(socket as Socket, 'data'));
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** The client run in `folder`, what it says kept. */
const clientRun = (args: string[]) => watchedClient(folder, args);

const partFiles = async () => (await readdir(folder)).filter((name) => name.endsWith('.wirestate-part')).length;

/** Runs the client in `folder`, waits (up to 10 s) for its `parts` part files, sends `signal`, and returns its exit code. */
async function interrupt(args: string[], signal: NodeJS.Signals, parts = 1): Promise<number | null> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: folder, stdio: 'ignore', timeout: 20_000 });
  const exited = once(child, 'exit');
  for (let tries = 0; tries < 200 && (await partFiles()) < parts; tries++) await sleep(50);
  expect(await partFiles()).toBe(parts);
  await asked;
  child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

/**
 * A listener whose accept queue is full (backlog 0, one connection waiting in it, none ever accepted): the kernel
 * drops the next SYN, so a client connecting waits in connect. Node accepts every connection: Python holds the socket.
 */
async function neverAccepting(): Promise<{ port: number; close: () => void }> {
  const listener = spawn(python(), ['-c', HOLD_LISTENER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(listener.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const filler = connect(port, '127.0.0.1').on('error', () => undefined);
  await once(filler, 'connect');
  return { port, close: () => (filler.destroy(), listener.kill()) };
}
const HOLD_LISTENER =
  'import socket, sys\ns = socket.socket()\ns.bind(("127.0.0.1", 0))\ns.listen(0)\nprint(s.getsockname()[1], flush=True)\nsys.stdin.read()';

/** Waits (up to 10 s) until a socket of this machine is in SYN_SENT to `port` on 127.0.0.1 (/proc/net/tcp, state 02). */
async function connecting(port: number): Promise<boolean> {
  const remote = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 02`;
  for (let tries = 0; tries < 200; tries++) {
    if ((await readFile('/proc/net/tcp', 'utf8')).includes(remote)) return true;
    await sleep(50);
  }
  return false;
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('on %s', (signal, code) => {
  it.each(['download', 'upload'] as const)(
    '%s stopped while it connects: says so, with the fields of any stopped transfer, and exits as stopped',
    async (operation) => {
      await writeFile(join(folder, 'up.bin'), 'bytes');
      const listener = await neverAccepting();
      const args = [CLI, 'client', '-s', `127.0.0.1:${listener.port}`, '-v', 'up.bin', '-l', 'up.bin', '--plain']
        .concat('-m', operation)
        .concat('--log-format', 'json');
      const run = clientRun(args);
      const { child, exited } = run;
      try {
        expect(await connecting(listener.port)).toBe(true);
        child.kill(signal);
        // Before, an upload met no handler yet: killed by the signal, no exit code, no line.
        expect(await exited).toEqual([code, null]);
      } finally {
        listener.close();
      }
      const last = JSON.parse(run.stderr().trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      expect(last).toMatchObject({
        message: `${operation} interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}) before it connected: nothing kept`,
        event: 'interrupted',
        ...{ operation, name: 'up.bin', path: 'up.bin', protocol: 'transfer', connection: 'client' },
        ...{ peer: `127.0.0.1:${listener.port}`, signal, bytes: 0, resumable: false, exit_code: code },
      });
      // The download's lock went with the exit; the upload's file is as it was.
      expect(await readdir(folder)).toEqual(['up.bin']);
    },
  );

  it('an upload stopped once every byte is sent, waiting for the server, says so and counts them all', async () => {
    // A plain server (no confirmation but its close) that takes the request, the size and all the bytes, then
    // neither closes nor says a word: whether it stored the file, the client cannot know.
    const SIZE = 1_000_000;
    let received = 0;
    const all = new Promise<void>((resolve) => {
      server = createServer((socket) => {
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          const before = received;
          received += chunk.length;
          // The request's 256 bytes, then the size's 8: each answered T.
          if (before < 256 && received >= 256) socket.write(encodeStatus(STATUS.yes));
          if (before < 264 && received >= 264) socket.write(encodeStatus(STATUS.yes));
          if (received === 264 + SIZE) resolve();
        });
      }).listen(0, '127.0.0.1');
    });
    await once(server!, 'listening');
    await writeFile(join(folder, 'up.bin'), Buffer.alloc(SIZE, 'u'));
    const port = (server!.address() as AddressInfo).port;
    const args = [CLI, 'client', '-s', `127.0.0.1:${port}`, '-m', 'upload', '-v', 'up.bin', '-l', 'up.bin', '--plain'];
    const run = clientRun(args);
    const { child, exited } = run;
    await all;
    child.kill(signal);
    expect(await exited).toEqual([code, null]);
    // Before: `at 0 B of 976.6 KiB: nothing kept` (the count came from a look up to 250 ms old).
    expect(run.stderr().trim().split('\n').pop()).toBe(
      `upload interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}) at 976.6 KiB of 976.6 KiB: every byte sent, ` +
        'the server had not confirmed storing it: the same command finds it stored (the name exists) or sends it again',
    );
  });

  it('an upload stopped with bytes still on a slow link says what left, not every byte, and keeps the rest', async () => {
    // Through the stammer proxy (about 150 KB/s) the client hands its 2.6 MB to the socket at once and waits for the
    // server while most are still in the buffers on the way: not all sent (before: `every byte sent`, 19 of 19).
    const served = await mkdtemp(join(tmpdir(), 'client-signal-served-'));
    const upstream = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', served]);
    const proxy = await stammerTo(upstream.port, { maxFragment: 4096, maxDelayMs: 24, seed: 13 });
    const SIZE = 2_600_000;
    await writeFile(join(folder, 'up.bin'), Buffer.alloc(SIZE, 'u'));
    try {
      const args = [CLI, 'client', '-s', `127.0.0.1:${proxy.address.port}`, '-m', 'upload', '-v', 'up.bin'].concat(
        '-l',
        'up.bin',
        '-d',
        '--log-format',
        'json',
      );
      const child = spawn(process.execPath, args, {
        cwd: folder,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 30_000,
      });
      let stderr = '';
      const exited = once(child, 'exit');
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('"state":"wait_upload_stored"')) child.kill(signal);
      });
      expect(await exited).toEqual([code, null]);
      const last = JSON.parse(stderr.trim().split('\n').pop() ?? '{}') as { message: string; bytes: number };
      expect(last.message).toMatch(/the server keeps what reached it, the same command resumes it$/);
      expect(last.bytes).toBeLessThan(SIZE);
    } finally {
      await proxy.close();
      upstream.child.kill('SIGTERM');
      await upstream.exited;
      await rm(served, { recursive: true, force: true });
    }
  });

  it('the transfer client removes its part file', async () => {
    const port = await stalling(encodeDownloadReply(STATUS.yes, 1_000_000), Buffer.alloc(1000, 'x'));
    expect(
      await interrupt(['client', '-s', `127.0.0.1:${port}`, '-v', 'big.bin', '-l', 'big.bin', '-q', '--plain'], signal),
    ).toBe(code);
    expect(await readdir(folder)).toEqual([]);
  });

  it('the transfer client stopped the moment its download lock appears exits as stopped, the lock gone', async () => {
    const port = await stalling(encodeDownloadReply(STATUS.yes, 1_000_000), Buffer.alloc(1000, 'x'));
    const args = [CLI, 'client', '-s', `127.0.0.1:${port}`, '-v', 'big.bin', '-l', 'big.bin', '--plain'].concat(
      '--log-format',
      'json',
    );
    const run = clientRun(args);
    const { child, exited } = run;
    // Told by inotify as the lock is linked into place: before the client has connected, most times.
    const watcher = watch(folder, (_, name) => name === '.big.bin.wirestate-lock' && child.kill(signal));
    try {
      // Before, the signal met no handler yet: killed by it (no exit code), the lock left behind.
      expect(await exited).toEqual([code, null]);
    } finally {
      watcher.close();
    }
    expect(await readdir(folder)).toEqual([]);
    // Its last line names the file, stopped before it connected or just after, as any stopped download's does.
    const last = JSON.parse(run.stderr().trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(last).toMatchObject({ event: 'interrupted', operation: 'download', name: 'big.bin', path: 'big.bin' });
    expect(last).toMatchObject({ protocol: 'transfer', connection: 'client', peer: `127.0.0.1:${port}`, signal });
    expect(last).toHaveProperty('bytes');
    expect(last).toHaveProperty('resumable');
  });

  it('the transfer client moving several files removes every part file', async () => {
    const port = await stalling(encodeDownloadReply(STATUS.yes, 1_000_000), Buffer.alloc(1000, 'x'));
    const files = ['a.bin', 'b.bin', 'c.bin'].flatMap((name) => ['-v', name, '-l', name]);
    expect(
      await interrupt(['client', '-s', `127.0.0.1:${port}`, ...files, '--parallel', '3', '-q', '--plain'], signal, 3),
    ).toBe(code);
    expect(await readdir(folder)).toEqual([]);
  });

  it('the blocks client removes its part file', async () => {
    const port = await stalling(Buffer.concat([encodeOk(1_000_000), Buffer.alloc(1000, 'x')]));
    expect(await interrupt(['blocks', 'client', `127.0.0.1:${port}:big.bin`, 'big.bin'], signal)).toBe(code);
    expect(await readdir(folder)).toEqual([]);
  });

  it('the queue client receiving into a file removes its part file', async () => {
    const port = await stalling(Buffer.alloc(1000, 'x'));
    expect(
      await interrupt(['queue', 'client', '127.0.0.1', String(port), 'TCP', 'receive', 'message.txt'], signal),
    ).toBe(code);
    expect(await readdir(folder)).toEqual([]);
  });
});

it('Ctrl-C typed on a terminal erases the progress bar and leaves one line: what stopped, and where', async () => {
  const port = await stalling(encodeDownloadReply(STATUS.yes, 1_000_000), Buffer.alloc(1000, 'x'));
  const command = [process.execPath, CLI, 'client', '-s', `127.0.0.1:${port}`, '-v', 'big.bin', '-l', 'big.bin']
    .concat('--plain')
    .map((word) => `'${word}'`)
    .join(' ');
  const terminal = spawn('script', ['-qec', command, '/dev/null'], { cwd: folder, timeout: 20_000 });
  let screen = '';
  let typed = false;
  terminal.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    // Once the bar shows the 1000 bytes that came: Ctrl-C, as a person types it (the terminal makes it SIGINT).
    if (!typed && screen.includes('1000 B / 976.6 KiB')) {
      typed = true;
      terminal.stdin.write('\x03');
    }
  });
  const [code] = (await once(terminal, 'exit')) as [number | null];
  expect(code).toBe(130);
  // After the last erase of the line, nothing of the bar: the one line, then the shell's prompt would follow.
  const afterErase = screen.slice(screen.lastIndexOf('\x1b[K') + 3);
  expect(afterErase).toBe('download interrupted (Ctrl-C) at 1000 B of 976.6 KiB: nothing kept\r\n');
  expect(await readdir(folder)).toEqual([]);
});

it('a burst of signals (a supervisor passing each on) ends as the first would: its line, exit 130, no part', async () => {
  const port = await stalling(encodeDownloadReply(STATUS.yes, 1_000_000), Buffer.alloc(1000, 'x'));
  const args = [CLI, 'client', '-s', `127.0.0.1:${port}`, '-v', 'big.bin', '-l', 'big.bin', '--plain'];
  const run = clientRun(args);
  const { child, exited } = run;
  for (let tries = 0; tries < 200 && (await partFiles()) < 1; tries++) await sleep(50);
  await asked;
  // A signal every few microseconds for 50 ms: some arrive while the first one's handler is at work.
  const until = performance.now() + 50;
  while (performance.now() < until && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(await exited).toEqual([130, null]);
  expect(run.stderr()).toMatch(/download interrupted \(Ctrl-C\) at 1000 B of 976\.6 KiB: nothing kept\n$/);
  expect(await readdir(folder)).toEqual([]);
});

it('a run of one file stopped with -q --json still says so: its line on stderr, its object on stdout', async () => {
  const port = await stalling(encodeDownloadReply(STATUS.yes, 1_000_000), Buffer.alloc(1000, 'x'));
  const args = [CLI, 'client', '-s', `127.0.0.1:${port}`, '-v', 'big.bin', '-l', 'big.bin', '--plain', '-q', '--json'];
  const child = spawn(process.execPath, args, { cwd: folder, timeout: 20_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  for (let tries = 0; tries < 200 && (await partFiles()) < 1; tries++) await sleep(50);
  await asked;
  child.kill('SIGTERM');
  expect(await exited).toEqual([143, null]);
  expect(stderr).toBe('download interrupted (SIGTERM) at 1000 B of 976.6 KiB: nothing kept\n');
  expect(JSON.parse(stdout)).toMatchObject({
    ok: false,
    outcome: 'interrupted',
    code: 'client.signal',
    bytes: 1000,
    exit_code: 143,
    name: 'big.bin',
  });
});

it("a download stopped before the server answered its resume counts what the earlier run's kept part holds", async () => {
  // The server hears the hello and says nothing: the client is still waiting for its reply when the signal comes.
  const port = await stalling();
  const mark = createHash('sha256').update('big.bin').digest('hex').slice(0, 8);
  const part = join(folder, `.big.bin.1000000-1700000000000-${mark}.wirestate-resume`);
  await writeFile(part, Buffer.alloc(300_000, 'k'));
  const args = [CLI, 'client', '-s', `127.0.0.1:${port}`, '-v', 'big.bin', '-l', 'big.bin', '--hello-wait', '20'];
  const run = clientRun(args);
  const { child, exited } = run;
  await asked;
  child.kill('SIGINT');
  expect(await exited).toEqual([130, null]);
  expect(run.stderr()).toMatch(
    /download interrupted \(Ctrl-C\) at 293\.0 KiB of 976\.6 KiB: the part is kept, the same command resumes it\n$/,
  );
  expect((await stat(part)).size).toBe(300_000);
});

it('a client signalled (twice) as it says its last line ends with its own exit code, never killed by the signal', async () => {
  // Before, the process met Node's default as it ended by itself (its handlers torn down first): 15 of 20 died by
  // the signal. Ten uploads to a real server, two signals 2 ms apart once `uploaded` is said.
  const served = await mkdtemp(join(tmpdir(), 'client-signal-served-'));
  const upstream = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', served]);
  await writeFile(join(folder, 'up.bin'), Buffer.alloc(1_000_000, 'u'));
  const ends: [number | null, string | null][] = [];
  try {
    for (let round = 0; round < 10; round++) {
      const args = [CLI, 'client', '-s', `127.0.0.1:${upstream.port}`, '-m', 'upload', '-v', `up${round}.bin`];
      const child = spawn(process.execPath, [...args, '-l', 'up.bin'], { cwd: folder, timeout: 20_000 });
      const exited = once(child, 'exit');
      const signal = round % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      let said = '';
      child.stderr.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (!said.includes('uploaded ')) return;
        child.kill(signal);
        setTimeout(() => child.kill(signal), 2);
      });
      ends.push((await exited) as [number | null, string | null]);
    }
  } finally {
    upstream.child.kill('SIGTERM');
    await upstream.exited;
    await rm(served, { recursive: true, force: true });
  }
  // The upload was over: the signals changed nothing, exit 0 (or, caught before its end, 130/143: never by the signal).
  for (const [exitCode, signal] of ends) {
    expect(signal).toBeNull();
    expect([0, 130, 143]).toContain(exitCode);
  }
});
