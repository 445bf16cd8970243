/** The lab's third exercise over real loopback sockets and real files, through the CLI, as the slides run it. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { parseTrace, chunkBytes } from '../../src/trace/trace-format';
import { sha256, startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { withAnsweringServer } from '../../src/test-support/answering-server';

/** The served folder's parent: a name with `../` reaches it. */
let top: string;
let root: string;
/** One plain server for the file's tests (a process costs ~0.4 s CPU); the recording test starts its own. */
let server: ServerProcess;
/** The client's folder, new for each test. */
let dir: string;
beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), 'wirestate-blocks-'));
  root = join(top, 'served');
  await mkdir(root);
  server = await start();
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(top, { recursive: true, force: true });
});
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'wirestate-blocks-client-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

function start(...extra: string[]) {
  return startCliServer(['blocks', 'server', '0', '--host', '127.0.0.1', '--root', root, ...extra]);
}
const client = (name: string, target: string, ...extra: string[]) =>
  wirestate(['blocks', 'client', `127.0.0.1:${server.port}:${name}`, target, ...extra], dir);

it('fetches a file byte for byte, sent in blocks of 1024 bytes', async () => {
  const recording = await start('--record', join(dir, 'traces'));
  try {
    await writeFile(join(root, 'speech.bin'), randomBytes(1024 * 1024 + 77));
    const result = await wirestate(['blocks', 'client', `127.0.0.1:${recording.port}:speech.bin`, 'copy.bin'], dir);
    expect(result).toMatchObject({ code: EXIT.ok, stderr: 'speech.bin -> copy.bin: 1.00 MiB, size checked\n' });
    expect(await sha256(join(dir, 'copy.bin'))).toBe(await sha256(join(root, 'speech.bin')));
    await recording.logged(/sent: /);
  } finally {
    recording.child.kill('SIGTERM');
    await recording.exited;
  }
  const [traceFile] = await readdir(join(dir, 'traces'));
  const writes = parseTrace(await readFile(join(dir, 'traces', traceFile), 'utf8'))
    .entries.filter((entry) => 'out' in entry)
    .map((entry) => chunkBytes(entry)?.length);
  expect(writes[0]).toBe('OK 1048653\n'.length);
  expect(writes.slice(1, -1).every((size) => size === 1024)).toBe(true);
  expect(writes.at(-1)).toBe(77);
});

it('answers ERR for a missing file or a name outside its folder, and the client writes nothing', async () => {
  await writeFile(join(top, 'secret.txt'), 'outside the root');
  expect(await client('nope.txt', 'got.txt')).toMatchObject({
    code: EXIT.refused,
    stderr: 'wirestate blocks client: the server refused: no such file\n',
  });
  expect(await client('../secret.txt', 'got.txt')).toMatchObject({
    code: EXIT.refused,
    stderr: 'wirestate blocks client: the server refused: a name that leads out of the served folder\n',
  });
  expect(await readdir(dir)).toEqual([]);
});

it('never replaces a local file without --force', async () => {
  await writeFile(join(root, 'new.txt'), 'new');
  await writeFile(join(dir, 'mine.txt'), 'mine');
  expect((await client('new.txt', 'mine.txt')).code).toBe(EXIT.localFile);
  expect(await readFile(join(dir, 'mine.txt'), 'utf8')).toBe('mine');
  expect((await client('new.txt', 'mine.txt', '--force')).code).toBe(EXIT.ok);
  expect(await readFile(join(dir, 'mine.txt'), 'utf8')).toBe('new');
});

it('keeps nothing when the server closes short of the size it announced', async () => {
  const liar = createServer((socket) => {
    socket.on('error', () => undefined); // the client resets once it sees the file is short
    socket.end(Buffer.concat([Buffer.from('OK 5000\n'), Buffer.alloc(100)]));
  });
  liar.listen(0, '127.0.0.1');
  await once(liar, 'listening');
  const port = (liar.address() as AddressInfo).port;
  const result = await wirestate(['blocks', 'client', `127.0.0.1:${port}:x`, 'short.bin'], dir);
  liar.close();
  expect(result.code).toBe(EXIT.interrupted);
  expect(result.stderr).toContain('the server closed after 100 of 5000 bytes');
  expect(await readdir(dir)).toEqual([]);
});

/** `name` asked for over a raw loopback socket, as the seed's client asks: every byte the server sends before it closes. */
async function rawFetch(name: string): Promise<Buffer> {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.end(`${name}\n`);
  await once(socket, 'close');
  return Buffer.concat(chunks);
}

// The server's concurrency is the point: 10 connections at once. A process per client costs ~0.4 s CPU and the
// client's own fetch is shown above, so 3 are CLI clients writing files and 7 raw sockets, all at the same time.
it('serves 10 clients at once', async () => {
  const content = randomBytes(200_000);
  await writeFile(join(root, 'shared.bin'), content);
  const [results, raw] = await Promise.all([
    Promise.all(Array.from({ length: 3 }, (_, i) => client('shared.bin', `copy-${i}.bin`))),
    Promise.all(Array.from({ length: 7 }, () => rawFetch('shared.bin'))),
  ]);
  for (const [i, result] of results.entries()) {
    expect(result.code).toBe(EXIT.ok);
    expect((await readFile(join(dir, `copy-${i}.bin`))).equals(content)).toBe(true);
  }
  for (const reply of raw) expect(reply.equals(Buffer.concat([Buffer.from('OK 200000\n'), content]))).toBe(true);
});

it('rejects a source that is not server:port:name', async () => {
  const result = await wirestate(['blocks', 'client', 'localhost:speech.txt', 'x'], dir);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stderr).toContain('expected server:port:fNameInServer, got "localhost:speech.txt"');
});

/** `blocks client` fetching `name` into `out` from a server that answers any request with `reply` and closes. */
const clientOfFakeServer = (reply: string, name: string, out: string) =>
  withAnsweringServer(reply, (port) => wirestate(['blocks', 'client', `127.0.0.1:${port}:${name}`, out], dir));

// Any run of digits is one path (parseHeader, then the free-space check): the two sizes once read as no answer
// (exit 5); 10^15, always taken, went the same way.
it.each(['10000000000000000', '100000000000000000000'])(
  'takes any announced size the disk cannot hold as no room (exit 7), however many digits: OK %s',
  async (size) => {
    const result = await clientOfFakeServer(`OK ${size}\nhello`, 'big.bin', 'got.bin');
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toContain(`not enough free space for ${size} bytes`);
    expect(await readdir(dir)).toEqual([]);
  },
);

it("prints a server's ERR reason with its control characters shown, not obeyed by the terminal (exit 3)", async () => {
  const result = await clientOfFakeServer('ERR \x1b[2Jgone\x07\n', 'f.txt', 'got.txt');
  expect(result.code).toBe(EXIT.refused);
  expect(result.stderr).toContain('\\x1b[2Jgone\\x07');
  expect(result.stderr).not.toContain('\x1b');
});
