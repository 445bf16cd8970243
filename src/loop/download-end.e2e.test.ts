/**
 * The end of a download whose last bytes still wait in the kernel's buffers when the server's machine has sent
 * them all: the connection ends, and its end line is logged, once the reader has taken them, and a reader that
 * stops taking them is cut after --idle-timeout, its end line saying so. Before, the line said `downloaded` and
 * the socket closed about 5 s after the machine finished, whatever the reader had taken.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { OP, STATUS, encodeRequest, encodeStatus } from '../../machines/transfer/frames';
import { startServerProcess, type ServerProcess } from '../test-support/processes';
import { python } from '../test-support/python';

const execFileAsync = promisify(execFile);
/** Less than the server's kernel takes in (tcp_wmem's 4 MiB), far more than the reader's 64 KiB receive buffer. */
const SIZE = 1.5 * 1024 * 1024;
/** The reader's pace: SIZE takes it 8 s, longer than the 5 s after which the socket closed before. */
const RATE = 192 * 1024;
const IDLE_S = 3;

let base: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-download-end-'));
  await writeFile(join(base, 'file.bin'), Buffer.alloc(SIZE, 7));
  server = await startServerProcess(['--root', base, '--idle-timeout', String(IDLE_S)]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/**
 * Downloads file.bin through a 64 KiB receive buffer (set in a Python process: Node's sockets cannot), taking
 * RATE; after `stopAt` bytes it takes nothing for `holdS` seconds, then reads on. How many bytes came, and how
 * the download ended for it: `end` (the server's FIN after them all) or `reset`.
 */
async function download(stopAt: number, holdS: number): Promise<{ received: number; ended: string }> {
  const { stdout } = await execFileAsync(python(), [
    '-c',
    [
      'import socket, sys, time',
      's = socket.socket()',
      's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)',
      "s.connect(('127.0.0.1', int(sys.argv[1])))",
      's.settimeout(30)',
      's.sendall(bytes.fromhex(sys.argv[2]))',
      'reply = b""',
      'while len(reply) < 9: reply += s.recv(9 - len(reply))',
      's.sendall(bytes.fromhex(sys.argv[3]))',
      'rate, stop_at, hold, received, ended = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), 0, "end"',
      'while True:',
      '    if received >= stop_at and hold > 0: time.sleep(hold); hold = 0',
      '    try: chunk = s.recv(8192)',
      '    except ConnectionResetError: ended = "reset"; break',
      '    if not chunk: break',
      '    received += len(chunk)',
      '    time.sleep(len(chunk) / rate)',
      'print(received, ended)',
    ].join('\n'),
    String(server.port),
    encodeRequest(OP.download, 'file.bin').toString('hex'),
    encodeStatus(STATUS.yes).toString('hex'),
    String(RATE),
    String(stopAt),
    String(holdS),
  ]);
  const [received, ended] = stdout.trim().split(' ');
  return { received: Number(received), ended };
}

it('is logged done once the reader has taken it all, not while it still reads', async () => {
  const reading = download(SIZE, 0);
  await delay(6_000);
  expect(server.output()).not.toMatch(/\] downloaded/);
  expect(await reading).toEqual({ received: SIZE, ended: 'end' });
  await server.logged(/\] downloaded: 1\.50 MiB/);
});

it(`cuts a reader that stops taking the last bytes for --idle-timeout, and says how much it took`, async () => {
  const from = server.output().length;
  const { received, ended } = await download(100_000, IDLE_S + 4);
  expect(ended).toBe('reset');
  expect(received).toBeLessThan(SIZE);
  await server.logged(new RegExp(`took none of the last bytes sent for ${IDLE_S} s \\(--idle-timeout\\)`));
  await server.logged(/\] interrupted \(idle\): /);
  const lines = server.output().slice(from);
  expect(lines).not.toMatch(/\] downloaded/);
  // It tells what the reader's kernel acknowledged: what the reader read, less than a KiB lost to rounding.
  const [, taken] = /\] interrupted \(idle\): ([\d.]+) KiB/.exec(lines) ?? [];
  expect(Number(taken) * 1024).toBeGreaterThanOrEqual(received - 1024);
});
