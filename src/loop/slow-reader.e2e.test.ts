/**
 * A client that reads a download slowly but steadily is no idle one: the server's source hears that the peer
 * acknowledges bytes (send-progress.ts), not only when its socket has room again, which a full send buffer
 * says only once much of it has drained: at a few tens of KB/s, long after --idle-timeout.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { OP, STATUS, encodeRequest, encodeStatus } from '../../machines/transfer/frames';
import { startServerProcess, type ServerProcess } from '../test-support/processes';
import { readDownload } from '../test-support/python-reader';

const MiB = 1024 * 1024;
/** What the reader takes per second, far above --min-rate's default 1 KiB/s. */
const RATE = 256 * 1024;
/** Under 256 KiB per idle timeout. */
const SLOW_RATE = 24 * 1024;
const IDLE_S = 4;
/** Half SLOW_RATE, over short windows. */
const SLOW_MIN_RATE = 12 * 1024;
const SLOW_WINDOW_S = 3;
/** How long it reads: several idle timeouts. */
const READ_MS = 12_000;

let base: string;
let server: ServerProcess;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-slow-reader-'));
  await writeFile(join(base, 'big.bin'), Buffer.alloc(64 * MiB, 5));
  server = await startServerProcess(['--root', base, '--idle-timeout', String(IDLE_S)]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/** Downloads big.bin from `port`, taking it at RATE for READ_MS: how many bytes came, and how the server ended it. */
async function readSlowly(port: number): Promise<{ received: number; ended?: string }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = 0;
  let ended: string | undefined;
  socket.on('end', () => (ended = 'end'));
  socket.on('error', (error: NodeJS.ErrnoException) => (ended = error.code ?? 'error'));
  socket.write(encodeRequest(OP.download, 'big.bin'));
  // After the 9-byte reply, confirm, then take the DATA at RATE: pause after each chunk for as long as it is worth.
  let confirmed = false;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (!confirmed && received >= 9) {
      confirmed = true;
      socket.write(encodeStatus(STATUS.yes));
    }
    socket.pause();
    setTimeout(() => socket.resume(), (chunk.length / RATE) * 1000);
  });
  await delay(READ_MS);
  socket.destroy();
  return { received, ended };
}

it(`a download read at ${RATE / 1024} KiB/s is not cut by a ${IDLE_S} s idle timeout`, async () => {
  const { received, ended } = await readSlowly(server.port);
  expect(ended).toBeUndefined();
  // It kept reading: well over the first socket buffers' worth, and no timeout logged.
  expect(received).toBeGreaterThan((RATE * READ_MS) / 1000 / 4);
  expect(server.output()).not.toMatch(/timed out/);
});

/** Downloads big.bin from `port` as a reader behind a slow link would: through an 8 KiB buffer, SLOW_RATE for READ_MS. */
const readThroughSmallBuffer = (port: number) =>
  readDownload(port, 'big.bin', { buffer: 8192, rate: SLOW_RATE, recvSize: 1024, forMs: READ_MS });

// Slower than one of the server's 256 KiB writes per idle timeout: while a write is partly in the kernel, only the
// bytes the kernel took of it show the reader's progress (before, it was cut as idle after IDLE_S).
it(`nor is one read at ${SLOW_RATE / 1024} KiB/s through an 8 KiB receive buffer`, async () => {
  const { received, ended } = await readThroughSmallBuffer(server.port);
  expect(ended).toBe('read on');
  expect(received).toBeGreaterThan((SLOW_RATE * READ_MS) / 1000 / 4);
  expect(server.output()).not.toMatch(/timed out/);
});

it(`nor by --min-rate, which counts the bytes the reader took, not only those its socket took in large steps`, async () => {
  const strict = await startServerProcess([
    '--root',
    base,
    '--min-rate',
    '8192',
    '--rate-window',
    '3',
    '--idle-timeout',
    '60',
  ]);
  try {
    const { received, ended } = await readSlowly(strict.port);
    expect(ended).toBeUndefined();
    expect(received).toBeGreaterThan((RATE * READ_MS) / 1000 / 4);
    expect(strict.output()).not.toMatch(/too_slow|--min-rate/);
  } finally {
    strict.child.kill('SIGTERM');
    await strict.exited;
  }
});

// Its first window counts what it took from the start: before, the acknowledgements before the server's first look
// went uncounted (a write only partly in the kernel hid them), and half its rate was taken for its rate.
it(`nor is that reader cut by --min-rate ${SLOW_MIN_RATE} over ${SLOW_WINDOW_S} s windows`, async () => {
  const strict = await startServerProcess([
    '--root',
    base,
    '--min-rate',
    String(SLOW_MIN_RATE),
    '--rate-window',
    String(SLOW_WINDOW_S),
    '--idle-timeout',
    '60',
  ]);
  try {
    const { received, ended } = await readThroughSmallBuffer(strict.port);
    expect(ended).toBe('read on');
    expect(received).toBeGreaterThan((SLOW_RATE * READ_MS) / 1000 / 4);
    expect(strict.output()).not.toMatch(/too_slow|--min-rate/);
  } finally {
    strict.child.kill('SIGTERM');
    await strict.exited;
  }
});
