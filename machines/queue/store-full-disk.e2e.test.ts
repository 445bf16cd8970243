/**
 * The queue's --store on a disk that fills up (a 2 MiB tmpfs in a private mount namespace, small-disk.ts): a
 * message the store cannot commit is refused (the sender does not exit 0), the server serves on, and what it
 * stored before is there to receive.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { onSmallDisk } from '../../src/test-support/small-disk';

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
