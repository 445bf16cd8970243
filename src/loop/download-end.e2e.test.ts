/**
 * The end of a download whose last bytes still wait in the kernel's buffers when the server's machine has sent
 * them all: the connection ends, and its end line is logged, once the reader has taken them, and a reader that
 * stops taking them is cut after --idle-timeout, its end line saying so. Before, the line said `downloaded` and
 * the socket closed about 5 s after the machine finished, whatever the reader had taken.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startServerProcess, type ServerProcess } from '../test-support/processes';
import { readDownload, type Reading } from '../test-support/python-reader';

/** Less than the server's kernel takes in (tcp_wmem's 4 MiB), far more than the reader's 64 KiB receive buffer. */
const SIZE = 1.5 * 1024 * 1024;
/** The reader's pace: SIZE takes it 8 s, longer than the 5 s after which the socket closed before. */
const RATE = 192 * 1024;
const IDLE_S = 3;

let base: string;
let server: ServerProcess;
/** Servers a test starts of its own, stopped at the end should the test fail before it stops them. */
const others: ServerProcess[] = [];
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-download-end-'));
  await writeFile(join(base, 'file.bin'), Buffer.alloc(SIZE, 7));
  server = await startServerProcess(['--root', base, '--idle-timeout', String(IDLE_S)]);
});
afterAll(async () => {
  for (const running of [server, ...others]) running.child.kill('SIGTERM');
  await Promise.all([server, ...others].map((running) => running.exited));
  await rm(base, { recursive: true, force: true });
});

/** Takes file.bin from `port` through a 64 KiB receive buffer, at RATE unless `reading` says otherwise. */
const download = (port: number, reading: Partial<Reading> = {}) =>
  readDownload(port, 'file.bin', { buffer: 64 * 1024, rate: RATE, ...reading });

/** The server's output from now on, as far as it has come when called. */
const outputFromNow = (of: ServerProcess) => {
  const from = of.output().length;
  return () => of.output().slice(from);
};

it('is logged done once the reader has taken it all, not while it still reads', async () => {
  const reading = download(server.port);
  await delay(6_000);
  expect(server.output()).not.toMatch(/\] downloaded/);
  expect(await reading).toEqual({ received: SIZE, ended: 'end' });
  await server.logged(/\] downloaded: 1\.50 MiB/);
});

it('cuts a reader that stops taking the last bytes for --idle-timeout, and says how much it took', async () => {
  const lines = outputFromNow(server);
  const { received, ended } = await download(server.port, { pauseEvery: 100_000, pauseS: IDLE_S + 4 });
  expect(ended).toBe('reset');
  expect(received).toBeLessThan(SIZE);
  await server.logged(new RegExp(`took none of the last bytes sent for ${IDLE_S} s \\(--idle-timeout\\)`));
  await server.logged(/\] timed out \(nothing from the peer for the idle timeout\): /);
  expect(lines()).not.toMatch(/\] downloaded/);
  // It tells what the reader's kernel acknowledged: what the reader read, less than a KiB lost to rounding.
  const [, taken] = /\] timed out \(.*\): ([\d.]+) KiB/.exec(lines()) ?? [];
  expect(Number(taken) * 1024).toBeGreaterThanOrEqual(received - 1024);
});

// The server looks at what the reader took once a second: before it cut, it looks again (a pause up to a second
// shorter than the idle timeout was cut, and the line said it took none of what it had taken since the last look).
it('does not cut a reader whose pauses are shorter than --idle-timeout', async () => {
  const lines = outputFromNow(server);
  const reading = { rate: 4 * RATE, pauseEvery: 400 * 1024, pauseS: IDLE_S - 0.5 };
  expect(await download(server.port, reading)).toEqual({ received: SIZE, ended: 'end' });
  await server.logged(/\] downloaded: 1\.50 MiB/);
  expect(lines()).not.toMatch(/--idle-timeout|timed out/);
});

// Its kernel acknowledged every byte before the reset: the download was whole (it was logged interrupted).
it('is logged done when the reader took it all and then reset the connection', async () => {
  const lines = outputFromNow(server);
  expect(await download(server.port, { rate: 64 * RATE, resetAtEnd: true })).toEqual({ received: SIZE, ended: 'end' });
  await server.logged(/\] downloaded: 1\.50 MiB/);
  expect(lines()).not.toMatch(/interrupted/);
});

it('is logged interrupted, not done, when the server stops while the reader has not taken it all', async () => {
  const stopping = await startServerProcess(['--root', base, '--grace', '1']);
  const reading = download(stopping.port, { pauseEvery: 100_000, pauseS: 5 });
  await stopping.logged(/\] download "file\.bin"/);
  await delay(1_500);
  stopping.child.kill('SIGTERM');
  await stopping.exited;
  expect((await reading).received).toBeLessThan(SIZE);
  expect(stopping.output()).toMatch(/\] interrupted \(closed\): /);
  expect(stopping.output()).not.toMatch(/\] downloaded/);
});

// The cut came while the server's last writes still waited in Node for room in the kernel: the reset waited for them
// to leave, so the connection stayed open (and a stopping server running) until the reader read again (a stranger's find).
it('closes a reader that takes nothing more at the cut, and a stopping server then exits, before the reader reads again', async () => {
  // A little more than the kernel takes in for a reader with a 4 KiB receive buffer (about 2.8 MB): the machine has
  // handed it all to its socket, and the rest waits in Node.
  await writeFile(join(base, 'big.bin'), Buffer.alloc(3_000_000, 7));
  const stalled = await startServerProcess(['--root', base, '--idle-timeout', '1', '--grace', '1']);
  others.push(stalled);
  let readerDone = false;
  const reading = readDownload(stalled.port, 'big.bin', { buffer: 4096, rate: RATE, pauseEvery: 100_000, pauseS: 8 });
  void reading.finally(() => (readerDone = true));
  await stalled.logged(/\] timed out \(nothing from the peer for the idle timeout\): /);
  expect(readerDone).toBe(false);
  stalled.child.kill('SIGTERM');
  await stalled.exited;
  expect(readerDone).toBe(false);
  expect(await reading).toMatchObject({ ended: 'reset' });
});
