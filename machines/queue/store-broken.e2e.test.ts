/**
 * The queue's --store on a disk that fails (EIO, failing-disk.ts) in the two ways that break the store: writes and
 * syncs failing leave lmdb unable to go on (MDB_PANIC), and a sync failing after a commit leaves what the disk holds
 * unknown. The server neither hangs on (answering nothing, refusing to stop) nor serves on from a queue the disk
 * may not hold: it logs why, resets what is still open (no sender is told its message was stored) and exits 7; a
 * restart reads back what the disk holds: the message whose sync failed, too, if its commit reached the file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { failingDisk } from '../../src/test-support/failing-disk';

let base: string;
const servers: ServerProcess[] = [];
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-queue-broken-'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await rm(base, { recursive: true, force: true });
});

const queueServer = async (store: string, wrapper: string[] = []) => {
  const server = await startCliServer(
    ['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--store', store],
    wrapper,
  );
  servers.push(server);
  return server;
};

/** The server's exit code once it stops by itself: no signal, no more clients (one still running 10 s on is killed: null). */
async function exitByItself(server: ServerProcess): Promise<number | null> {
  const hung = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  const code = await server.exited;
  clearTimeout(hung);
  return code;
}

const client = (server: ServerProcess, ...args: string[]) =>
  wirestate(['queue', 'client', '127.0.0.1', String(server.port), 'TCP', ...args], base);

it.each([
  { fails: 'writes and syncs', code: 'MDB_PANIC', third: EXIT.refused },
  { fails: 'syncs', code: 'EIO', third: 'three\n' },
] as const)(
  'a store whose $fails fail stops the server with exit 7 ($code), no failed send reported sent',
  async ({ fails, code, third }) => {
    const store = join(base, 'q.lmdb');
    const disk = await failingDisk(base, store);
    const server = await queueServer(store, disk.wrapper);
    for (const text of ['one', 'two']) {
      await writeFile(join(base, `${text}.txt`), text);
      expect((await client(server, 'send', `${text}.txt`)).code).toBe(EXIT.ok);
    }

    disk.fail(fails);
    await writeFile(join(base, 'three.txt'), 'three');
    expect((await client(server, 'send', 'three.txt')).code).toBe(EXIT.serverError);
    expect(await exitByItself(server)).toBe(EXIT.localFile);
    expect(server.output()).toMatch(new RegExp(`error +store .*q\\.lmdb broke: .* \\(${code}\\); stopping`));

    disk.heal();
    const restarted = await queueServer(store);
    const received = [];
    for (let receive = 0; receive < 3; receive++) {
      const result = await client(restarted, 'receive', `got${receive}.txt`);
      received.push(result.code === EXIT.ok ? await readFile(join(base, `got${receive}.txt`), 'utf8') : result.code);
    }
    expect(received).toEqual(['one\n', 'two\n', third]);
  },
  60_000,
);

it('a delivery whose delete reached the file before its sync failed is delivered once: not reset, not back after a restart', async () => {
  const store = join(base, 'q.lmdb');
  const disk = await failingDisk(base, store);
  const server = await queueServer(store, disk.wrapper);
  await writeFile(join(base, 'only.txt'), 'only');
  expect((await client(server, 'send', 'only.txt')).code).toBe(EXIT.ok);

  disk.fail('syncs');
  expect((await client(server, 'receive', 'got.txt')).code).toBe(EXIT.ok);
  expect(await readFile(join(base, 'got.txt'), 'utf8')).toBe('only\n');
  expect(await exitByItself(server)).toBe(EXIT.localFile);

  disk.heal();
  const restarted = await queueServer(store);
  expect((await client(restarted, 'receive', 'again.txt')).code).toBe(EXIT.refused);
}, 60_000);
