/**
 * Where the one-file clients (share get, blocks, queue receive) write what they receive, against real servers:
 * a character device (/dev/null) is written into and stays a device, as the transfer client's `-l` does; a FIFO
 * (or a folder) is refused before anything is asked, exit 7, and stays what it was. A rename over either would
 * have put a regular file in its place (as root, over /dev/null itself).
 */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
let root: string;
let fifo: string;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-received-'));
  root = join(base, 'root');
  await mkdir(root);
  await writeFile(join(root, 's.bin'), 'shared bytes\n');
  fifo = join(base, 'fifo');
  execFileSync('mkfifo', [fifo]);
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
  await rm(base, { recursive: true, force: true });
});

const start = async (args: string[]) => {
  const server = await startCliServer([...args, '--host', '127.0.0.1']);
  servers.push(server);
  return server.port;
};

describe('share client get', () => {
  let port: number;
  beforeAll(async () => {
    port = await start(['share', 'server', '0', '--root', root]);
  });
  const get = (output: string, ...flags: string[]) =>
    wirestate(['share', 'client', '127.0.0.1', String(port), 'get', 's.bin', '-o', output, ...flags]);

  it('-o /dev/null: written into, exit 0, still a device (no --force needed: nothing is replaced)', async () => {
    expect((await get('/dev/null')).code).toBe(EXIT.ok);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('-o FIFO --force: refused, exit 7, the FIFO stays', async () => {
    const result = await get(fifo, '--force');
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toContain(`${fifo} is not a regular file (a pipe or a socket): name a file, or - for stdout`);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });
});

describe('blocks client', () => {
  let port: number;
  beforeAll(async () => {
    port = await start(['blocks', 'server', '0', '--root', root]);
  });
  const fetch = (target: string, ...flags: string[]) =>
    wirestate(['blocks', 'client', `127.0.0.1:${port}:s.bin`, target, ...flags]);

  it('/dev/null: written into, exit 0, still a device', async () => {
    expect((await fetch('/dev/null')).code).toBe(EXIT.ok);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('a FIFO with --force: refused, exit 7, the FIFO stays', async () => {
    const result = await fetch(fifo, '--force');
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toContain('is not a regular file (a pipe or a socket)');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });
});

describe('queue client receive', () => {
  it('into a FIFO: refused before asking, so the message stays queued; into /dev/null: taken, still a device', async () => {
    const port = String(await start(['queue', 'server', '0', 'TCP']));
    const message = join(base, 'message.txt');
    await writeFile(message, 'queued');
    expect((await wirestate(['queue', 'client', '127.0.0.1', port, 'TCP', 'send', message])).code).toBe(EXIT.ok);

    const refused = await wirestate(['queue', 'client', '127.0.0.1', port, 'TCP', 'receive', fifo]);
    expect(refused.code).toBe(EXIT.localFile);
    expect(refused.stderr).toContain(
      'is not a regular file (a pipe or a socket): name a file, or - for stdout; nothing was taken from the queue',
    );
    expect((await lstat(fifo)).isFIFO()).toBe(true);

    // Still queued, the refusal asked nothing of the server: taken into /dev/null, exit 0 (an empty queue is exit 3).
    expect((await wirestate(['queue', 'client', '127.0.0.1', port, 'TCP', 'receive', '/dev/null'])).code).toBe(EXIT.ok);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });
});
