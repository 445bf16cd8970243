/**
 * Share over real loopback sockets and real folders, through the CLI: the edge
 * cases of PROTOCOLS-OTHER.md and many clients at once. The seed README's
 * commands are in seed-examples.e2e.test.ts; the original programs' side is
 * share.interop.test.ts (seedpeer).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EXIT } from '../../src/engine/exit-codes';
import { CLI, loggedAfter, startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { untilReceiving } from '../../src/test-support/share-receiving';
import { sendThenReset } from '../../src/test-support/resetting-client';

let dir: string;
let shared: string;
let here: string;
let server: ServerProcess | undefined;
/** A folder of its own with `shared` (the server's root) and `here` (the client's) in it. */
async function makeFolders(): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'wirestate-share-'));
  shared = join(dir, 'shared');
  here = join(dir, 'here');
  await mkdir(shared);
  await mkdir(here);
}
async function stopServer(): Promise<void> {
  server?.child.kill('SIGTERM');
  await server?.exited;
  server = undefined;
}
/** Empties `folder`, keeping it. */
async function empty(folder: string): Promise<void> {
  for (const name of await readdir(folder)) await rm(join(folder, name), { recursive: true, force: true });
}

const start = async (...flags: string[]) =>
  (server = await startCliServer(['share', 'server', '0', '--host', '127.0.0.1', '--root', shared, ...flags]));
const client = (...args: string[]) => wirestate(['share', 'client', '127.0.0.1', String(server!.port), ...args], here);

/**
 * The end line of the connection that put `name`, logged after `from`: waits for its request line, then for its
 * `interrupted` or `stored`. Another connection's end line may come after `from` too (a test's client exits before
 * the server writes the end of its connection), so the id in brackets picks this one's.
 */
async function endOfPut(from: number, name: string): Promise<string> {
  const asked = new RegExp(`\\[(c\\d+)\\] put "${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);
  await loggedAfter(server!, from, asked);
  const id = asked.exec(server!.output().slice(from))![1];
  const ended = new RegExp(`\\[${id}\\] (interrupted|stored)[^\\n]*`);
  await loggedAfter(server!, from, ended);
  return ended.exec(server!.output().slice(from))![0];
}

/** Sends raw bytes, keeps its side open like the originals, and returns everything until the server closes. */
async function raw(bytes: string): Promise<Buffer> {
  const socket = connect({ host: '127.0.0.1', port: server!.port });
  socket.write(bytes);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks);
}

describe('one server for the tests that leave it as they found it (its folders emptied after each)', () => {
  beforeAll(async () => {
    await makeFolders();
    await start();
  });
  afterEach(async () => {
    await empty(shared);
    await empty(here);
  });
  afterAll(async () => {
    await stopServer();
    await rm(dir, { recursive: true, force: true });
  });

  it('cancels a put over an existing name and a get of a missing file, at once, and never overwrites a local file without --force', async () => {
    await writeFile(join(shared, 'taken.txt'), 'theirs');
    await writeFile(join(here, 'taken.txt'), 'mine');
    expect((await client('put', 'taken.txt')).code).toBe(EXIT.refused);
    expect((await client('get', 'missing.txt')).code).toBe(EXIT.refused);
    expect(await readFile(join(shared, 'taken.txt'), 'utf8')).toBe('theirs');
    expect((await client('get', 'taken.txt')).code).toBe(EXIT.localFile);
    expect(await readFile(join(here, 'taken.txt'), 'utf8')).toBe('mine');
    expect((await client('get', 'taken.txt', '--force')).code).toBe(EXIT.ok);
    expect(await readFile(join(here, 'taken.txt'), 'utf8')).toBe('theirs');
  });

  it('keeps names inside the shared folder, takes long names and names with commas, and survives requests the original crashed on', async () => {
    expect((await raw('put,../escaped.txt')).toString()).toBe('cancel');
    expect((await raw('get,../../etc/passwd')).toString()).toBe('cancel');
    expect((await raw('nonsense without a comma')).length).toBe(0);
    const long = `${'n'.repeat(200)},with,commas.txt`;
    await writeFile(join(here, long), 'long name');
    expect((await client('put', long)).code).toBe(EXIT.ok);
    expect(await readFile(join(shared, long), 'utf8')).toBe('long name');
    expect((await readdir(dir)).sort()).toEqual(['here', 'shared']);
    expect((await client('list')).stdout).toBe(`${long}\n`);
  });

  it('a name the protocol cannot carry is refused by the client before it connects, and one a listing would split by the server', async () => {
    await writeFile(join(here, 'data.txt'), 'data\n');
    const lineBreak = await client('put', 'a\nb', '-i', 'data.txt');
    expect(lineBreak.code).toBe(EXIT.usage);
    expect(lineBreak.stderr).toContain(
      'put: NAME holds a control character ("a\\x0ab"), which a share name cannot hold',
    );
    expect((await client('get', 'a\tb')).code).toBe(EXIT.usage);
    // Shown escaped, not obeyed by the terminal: ESC, and C1's CSI (U+009B), which no server would take either.
    const escapes = await client('get', 'a\x1b[2J\u009b2Jb');
    expect(escapes.code).toBe(EXIT.usage);
    expect(escapes.stderr).toContain('get: NAME holds a control character ("a\\x1b[2J\\x9b2Jb")');
    const separated = await client('put', 'x, y', '-i', 'data.txt');
    expect(separated.code).toBe(EXIT.usage);
    expect(separated.stderr).toContain('put: NAME holds ", ", which a listing separates names with');
    // An original client sends what it is given: the server cancels it, and stores nothing.
    expect((await raw('put,x, y')).toString()).toBe('cancel');
    await server!.logged(/cancelled \(a name holding ", ", which a listing separates names with\)/);
    expect(await readdir(shared)).toEqual([]);
    expect((await client('list')).stdout).toBe('');
  });

  it('a put of a name with folders in it says the name the server stores it under (the last part)', async () => {
    await mkdir(join(here, 'sub', 'dir'), { recursive: true });
    await writeFile(join(here, 'sub', 'dir', 'n.txt'), 'n');
    await writeFile(join(here, 'loc.txt'), 'ev');
    expect(await client('put', 'sub/dir/n.txt')).toMatchObject({
      code: EXIT.ok,
      stderr: 'put sub/dir/n.txt: 1 B stored on the server as n.txt\n',
    });
    expect(await client('put', '../evil2', '-i', 'loc.txt')).toMatchObject({
      code: EXIT.ok,
      stderr: 'put ../evil2: 2 B stored on the server as evil2\n',
    });
    expect((await readdir(shared)).sort()).toEqual(['evil2', 'n.txt']);
    expect(await readdir(dir)).not.toContain('evil2');
  });

  it('stores nothing of a put whose client breaks off, and an empty folder lists nothing', async () => {
    const before = server!.output().length;
    const socket = connect({ host: '127.0.0.1', port: server!.port });
    socket.write('put,partial.bin\n');
    await once(socket, 'data');
    socket.write(randomBytes(100_000));
    socket.resetAndDestroy();
    expect(await endOfPut(before, 'partial.bin')).toMatch(/interrupted/);
    expect(await readdir(shared)).toEqual([]);
    expect(await client('list')).toMatchObject({ code: EXIT.ok, stdout: '' });
  });

  it('stores nothing of a put whose client resets (SO_LINGER 0), and the name stays free for a retry', async () => {
    const before = server!.output().length;
    await sendThenReset(server!.port, 'put,partial.bin\n', 100_000, true);
    expect(await endOfPut(before, 'partial.bin')).toMatch(/interrupted/);
    expect(await readdir(shared)).toEqual([]);
    await writeFile(join(here, 'partial.bin'), 'the whole file');
    expect((await client('put', 'partial.bin')).code).toBe(EXIT.ok);
    expect(await readFile(join(shared, 'partial.bin'), 'utf8')).toBe('the whole file');
  });

  it('stores nothing of a large put stopped by Ctrl-C, and the client exits 130', async () => {
    await writeFile(join(here, 'big.bin'), '');
    await truncate(join(here, 'big.bin'), 4 * 1024 ** 3);
    const before = server!.output().length;
    const child = spawn(
      process.execPath,
      [CLI, 'share', 'client', '127.0.0.1', String(server!.port), 'put', 'big.bin'],
      {
        cwd: here,
        stdio: 'ignore',
        timeout: 30_000,
      },
    );
    const exited = once(child, 'exit');
    // Stopped once its bytes reach the server's temporary file, long before 4 GiB can.
    await untilReceiving(shared);
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(130);
    expect(await endOfPut(before, 'big.bin')).toMatch(/interrupted/);
    expect(await readdir(shared)).toEqual([]);
  });

  // Each client is a process (~0.4 s CPU to start): 6 at once overlap on the server as 20 did, at under a third of the cost.
  it('serves 6 clients at once, puts and gets mixed', async () => {
    const files = Array.from({ length: 3 }, (_, i) => ({ name: `file-${i}.bin`, bytes: randomBytes(50_000 + i) }));
    await Promise.all(files.map((file) => writeFile(join(shared, file.name), file.bytes)));
    await Promise.all(files.map((file) => writeFile(join(here, `up-${file.name}`), file.bytes)));
    const results = await Promise.all([
      ...files.map((file) => client('get', file.name)),
      ...files.map((file) => client('put', `up-${file.name}`)),
    ]);
    expect(results.map((result) => result.code)).toEqual(results.map(() => EXIT.ok));
    for (const file of files) {
      expect((await readFile(join(here, file.name))).equals(file.bytes)).toBe(true);
      expect((await readFile(join(shared, `up-${file.name}`))).equals(file.bytes)).toBe(true);
    }
  });

  it('stores an empty put whose client ends its side with the request, before the quiet period, and closes', async () => {
    const socket = connect({ host: '127.0.0.1', port: server!.port });
    socket.end('put,ended-at-once.txt');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Bounded well under the 30 s idle timeout that held it before.
    const closed = await Promise.race([once(socket, 'end').then(() => true), delay(5_000).then(() => false)]);
    socket.destroy();
    expect({ closed, reply: Buffer.concat(chunks).toString() }).toEqual({ closed: true, reply: 'pass' });
    expect(await readFile(join(shared, 'ended-at-once.txt'), 'utf8')).toBe('');
  });

  it('list: an empty folder is an empty listing (--json output ""), and a reply that is no listing is said so, exit 5', async () => {
    const empty = await client('list', '--json');
    expect(empty.code).toBe(EXIT.ok);
    expect(JSON.parse(empty.stdout)).toMatchObject({ ok: true, outcome: 'listed', output: '' });
    // Another protocol's server answering the request: not a name followed by ", " in what it says.
    const other = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')).listen(0, '127.0.0.1');
    await once(other, 'listening');
    try {
      const port = String((other.address() as AddressInfo).port);
      expect(await wirestate(['share', 'client', '127.0.0.1', port, 'list'], here)).toMatchObject({
        code: EXIT.interrupted,
        stdout: '',
        stderr:
          'wirestate share client: the reply is no share listing: its 28 B do not end with ", " (is that a share server?)\n',
      });
      const json = await wirestate(['share', 'client', '127.0.0.1', port, 'list', '--json'], here);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        outcome: 'protocol_error',
        code: 'protocol.violation',
      });
    } finally {
      other.close();
    }
  });
});

describe('a server of their own', () => {
  beforeEach(makeFolders);
  afterEach(async () => {
    await stopServer();
    await rm(dir, { recursive: true, force: true });
  });

  it('--max-size: a put that grows past it is dropped, its client cut off by a reset (exit 5, or 4 if all was sent), the name left free', async () => {
    await start('--max-size', '65536');
    await writeFile(join(here, 'big.bin'), randomBytes(4 * 1024 * 1024));
    // The reset meets the client still writing (exit 5), or, on a quick machine, with all 4 MiB in its kernel's
    // buffers already (exit 4, not stored): the README says both.
    const cut = await client('put', 'big.bin');
    expect([EXIT.interrupted, EXIT.serverError]).toContain(cut.code);
    expect(cut.stderr).toMatch(
      /^wirestate share client: .*the connection was reset by the other side \(ECONNRESET\)\n$/,
    );
    await server!.logged(/not stored/);
    expect(server!.output()).toContain('not stored (more than --max-size 65536 B)');
    expect(await readdir(shared)).toEqual([]);
    await writeFile(join(here, 'big.bin'), randomBytes(65536));
    expect((await client('put', 'big.bin')).code).toBe(EXIT.ok);
    expect((await readFile(join(shared, 'big.bin'))).length).toBe(65536);
  });

  it('logs a request in words, not the wire form: put "b.txt", with its operation and name as fields in JSON', async () => {
    await writeFile(join(here, 'b.txt'), 'bee');
    await start();
    expect((await client('put', 'b.txt')).code).toBe(EXIT.ok);
    await server!.logged(/\[c1\] stored/);
    expect(server!.output()).toMatch(/ info {2}\[c1\] put "b\.txt"\n/);
    expect(server!.output()).not.toContain('put,');

    server!.child.kill('SIGTERM');
    await server!.exited;
    await start('--log-format', 'json');
    expect((await client('get', 'b.txt', '-o', '-')).stdout).toBe('bee');
    await server!.logged(/"event":"end"/);
    const request = server!
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.event === 'request');
    expect(request).toMatchObject({ connection: 'c1', operation: 'get', name: 'b.txt', message: 'get "b.txt"' });
  });
});
