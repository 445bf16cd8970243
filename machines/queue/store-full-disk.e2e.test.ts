/**
 * The queue's --store on a disk that fills up (a 2 MiB tmpfs in a private mount namespace, small-disk.ts): a
 * message the store cannot commit is refused (the sender does not exit 0), the server serves on, and what it
 * stored before is there to receive; a delivery the full disk could not record is recorded with a later one, so
 * that a restart on the same disk does not deliver it again.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { execFileSync } from 'node:child_process';
import { loggedAfter, startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { raw } from '../../src/test-support/raw-client';
import { EMPTY_TCP, GET } from './codec';
import { onSmallDisk, twiceOnSmallDisk } from '../../src/test-support/small-disk';

let base: string;
let server: ServerProcess;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-queue-full-'));
  await mkdir(join(base, 'disk'));
});
afterEach(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

it('a send the store cannot commit is not reported sent, and the server serves on', async () => {
  server = await startCliServer(
    ['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--store', join(base, 'disk', 'q.lmdb')],
    onSmallDisk(join(base, 'disk'), '2m'),
  );
  const message = `${'q'.repeat(900_000)}\n`;
  await writeFile(join(base, 'message.txt'), message);
  const send = () =>
    wirestate(['queue', 'client', '127.0.0.1', String(server.port), 'TCP', 'send', 'message.txt'], base);
  const codes: (number | null)[] = [];
  for (let sent = 0; sent < 4; sent++) codes.push((await send()).code);
  // Two fit in 2 MiB; the disk is full before the fourth at the latest.
  expect(codes.slice(0, 2)).toEqual([EXIT.ok, EXIT.ok]);
  expect(codes[3]).toBe(EXIT.serverError);
  await server.logged(/not stored \((EIO|ENOSPC)\)/);
  expect(server.child.exitCode).toBeNull();

  const received = await wirestate(
    ['queue', 'client', '127.0.0.1', String(server.port), 'TCP', 'receive', 'got.txt'],
    base,
  );
  expect(received.code).toBe(EXIT.ok);
  // The first message stored, whole (compared as a flag: a failure must not print 900 kB).
  const got = await readFile(join(base, 'got.txt'), 'utf8');
  expect(got.trimEnd() === message.trimEnd()).toBe(true);
});

it('a delivery the full disk could not record is recorded with a later one: a restart delivers none again', async () => {
  const disk = join(base, 'disk');
  // Two servers on the same 1 MiB tmpfs, the second once the first is stopped.
  const flags = ['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--store', join(disk, 'q.lmdb')];
  server = await startCliServer(flags, twiceOnSmallDisk(disk, '1m'));
  let port = server.port;
  const sendAndHear = async (text: string) => {
    const client = await raw(port, Buffer.from(`${text}\n`));
    client.socket.end();
    return client.ended;
  };
  const receive = async () => {
    const client = await raw(port, GET);
    await client.ended;
    return client.replies(0).then((bytes) => bytes.toString());
  };
  let stored = 0;
  for (let refused = 0, sent = 0; refused < 10 && sent < 20_000; sent++)
    if ((await sendAndHear(`m${sent}-${'z'.repeat(300)}`)) === 'end') stored++;
    else refused++;
  const delivered: string[] = [];
  for (let reply = await receive(); reply !== EMPTY_TCP.toString(); reply = await receive()) delivered.push(reply);
  expect(delivered).toHaveLength(stored);
  // A delivery the full disk could not record, it still logs (the disk was full for some).
  expect(server.output()).toMatch(/server error \((EIO|ENOSPC)\)/);
  // The next delivery asks again for those the disk could not record.
  expect(await sendAndHear('last')).toBe('end');
  expect(await receive()).toBe('last\n');

  const from = server.output().length;
  const firstServer = Number(execFileSync('pgrep', ['-P', String(server.child.pid)], { encoding: 'utf8' }).trim());
  process.kill(firstServer, 'SIGTERM');
  await loggedAfter(server, from, /listening on [\d.]+:\d+/);
  port = Number(/listening on [\d.]+:(\d+)/.exec(server.output().slice(from))![1]);
  expect(server.output().slice(from)).toMatch(/store \S+: 0 message\(s\) waiting/);
  expect(await receive()).toBe(EMPTY_TCP.toString());
}, 120_000);
