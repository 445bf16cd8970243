/**
 * Interoperability with an implementation wirestate did not write:
 * shared/tools/ftpeer.py speaks the seed protocol from PROTOCOL.md. Our server
 * against its client, our client against its server, including 1-byte writes.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { freePort, run, sha256, wirestate } from '../test-support/processes';
import { FTPEER } from '../test-support/peers';
import { startTestServer, type TestServer } from '../test-support/servers';
import { capturingLogger } from '../test-support/logs';
import { startProxy, type RunningProxy } from '../proxy/stammer-proxy';
import { python } from '../test-support/python';

const ftpeer = (...args: string[]) => run(python(), [FTPEER, ...args]);

describe('the seed protocol client (ftpeer) against the wirestate server', () => {
  let t: TestServer;
  let content: Buffer;
  beforeAll(async () => {
    t = await startTestServer();
    content = randomBytes(20_000);
    await writeFile(join(t.files.root, 'speech.txt'), content);
    await writeFile(join(t.base, 'upload.bin'), content);
  });
  afterAll(() => t.stop());

  it.each([
    ['whole writes', '65536'],
    ['1-byte writes', '1'],
  ])('downloads with %s', async (_label, chunk) => {
    const out = join(t.base, `down-${chunk}.bin`);
    const result = await ftpeer('get', '127.0.0.1', String(t.port), 'speech.txt', out, '--chunk', chunk);
    expect(result).toMatchObject({ code: 0, stdout: `ok ${content.length}\n` });
    expect(await sha256(out)).toBe(await sha256(join(t.files.root, 'speech.txt')));
  });

  it.each([
    ['whole writes', '65536'],
    ['1-byte writes', '1'],
  ])('uploads with %s and sees a clean close only once stored', async (_label, chunk) => {
    const name = `up-${chunk}.bin`;
    const result = await ftpeer('put', '127.0.0.1', String(t.port), name, join(t.base, 'upload.bin'), '--chunk', chunk);
    expect(result).toMatchObject({ code: 0, stdout: `ok ${content.length}\n` });
    expect(await sha256(join(t.files.root, name))).toBe(await sha256(join(t.base, 'upload.bin')));
  });

  it('gets F (exit 3) for a missing file and E (exit 4) for an escaping name', async () => {
    expect((await ftpeer('get', '127.0.0.1', String(t.port), 'absent', join(t.base, 'x'))).code).toBe(3);
    expect((await ftpeer('get', '127.0.0.1', String(t.port), '../etc/passwd', join(t.base, 'x'))).code).toBe(4);
  });

  it.each([
    ['surrounded by white space', '  speech.txt \t'],
    ['with NUL bytes inside', 'spe\0ech\0.txt'],
  ])('answers a hand-made request whose name is %s as the original server does', async (_case, text) => {
    const name = Buffer.from(text);
    const frame = Buffer.concat([Buffer.from('D'), name, Buffer.alloc(255 - name.length)]);
    const result = await ftpeer('raw', '127.0.0.1', String(t.port), frame.toString('hex'), '1');
    const size = content.length.toString(16).padStart(16, '0');
    expect(result.stdout.trim()).toBe(`reply 54${size} open`);
  });
});

describe('the wirestate client against the seed protocol server (ftpeer serve)', () => {
  let base: string;
  let port: number;
  let peer: ReturnType<typeof spawn>;
  /** What ftpeer printed: it says `stalled` when bytes came queued behind a frame, as the original would stall. */
  let peerSaid = '';
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-interop-'));
    await mkdir(join(base, 'root'));
    await mkdir(join(base, 'local'));
    await writeFile(join(base, 'root', 'speech.txt'), randomBytes(300_000));
    port = await freePort();
    peer = spawn(python(), [FTPEER, 'serve', String(port), join(base, 'root')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => peer.stdout!.once('data', () => resolve()));
    peer.stdout!.on('data', (chunk: Buffer) => (peerSaid += chunk.toString()));
  });
  afterEach(() => expect(peerSaid).not.toContain('stalled'));
  afterAll(async () => {
    peer.kill();
    await rm(base, { recursive: true, force: true });
  });

  const client = (...args: string[]) => wirestate(['client', '-s', `127.0.0.1:${port}`, ...args], join(base, 'local'));

  it('downloads a file byte for byte, after a hello it leaves unanswered', async () => {
    const result = await client('-v', 'speech.txt', '-l', 'speech.txt');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain(
      'no reply to hello within 2 s: going on with the plain protocol, no stored confirmation, no integrity check',
    );
    expect(await sha256(join(base, 'local', 'speech.txt'))).toBe(await sha256(join(base, 'root', 'speech.txt')));
  });

  it('with --plain sends no hello and says nothing of one', async () => {
    const result = await client('-v', 'speech.txt', '-l', 'plain.txt', '--plain', '-d');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).not.toContain('hello');
    expect(await sha256(join(base, 'local', 'plain.txt'))).toBe(await sha256(join(base, 'root', 'speech.txt')));
  });

  describe('through the stammer proxy cutting the hello into 1-byte pieces (about 0.4 s to get through)', () => {
    let proxy: RunningProxy;
    beforeAll(async () => {
      proxy = await startProxy({
        host: '127.0.0.1',
        port: 0,
        upstream: { host: '127.0.0.1', port },
        maxFragment: 1,
        maxDelayMs: 2,
        seed: 17,
        log: capturingLogger([]),
      });
    });
    afterAll(() => proxy.close());
    const viaProxy = (...args: string[]) =>
      wirestate(['client', '-s', `127.0.0.1:${proxy.address.port}`, ...args], join(base, 'local'));

    it('falls back after the wait without stalling the server, both ways', async () => {
      await writeFile(join(base, 'local', 'slow.bin'), randomBytes(2_000));
      expect((await viaProxy('-m', 'upload', '-l', 'slow.bin', '-v', 'slow.bin')).code).toBe(EXIT.ok);
      expect((await viaProxy('-v', 'slow.bin', '-l', 'slow-back.bin')).code).toBe(EXIT.ok);
      expect(await sha256(join(base, 'local', 'slow-back.bin'))).toBe(await sha256(join(base, 'local', 'slow.bin')));
    });
  });

  it('uploads a file and reports success on the server clean close', async () => {
    await writeFile(join(base, 'local', 'mine.bin'), randomBytes(123_456));
    expect((await client('-m', 'upload', '-l', 'mine.bin', '-v', 'theirs.bin')).code).toBe(EXIT.ok);
    expect(await sha256(join(base, 'root', 'theirs.bin'))).toBe(await sha256(join(base, 'local', 'mine.bin')));
  });

  it('reports F from that server as refused (exit 3), leaving no local file', async () => {
    expect((await client('-v', 'absent.txt', '-l', 'absent.txt')).code).toBe(EXIT.refused);
    expect(await readdir(join(base, 'local'))).not.toContain('absent.txt');
  });
});

describe('ftpeer through the stammer proxy in front of the wirestate server', () => {
  let t: TestServer;
  let proxy: RunningProxy;
  beforeAll(async () => {
    t = await startTestServer();
    proxy = await startProxy({
      host: '127.0.0.1',
      port: 0,
      upstream: { host: '127.0.0.1', port: t.port },
      maxFragment: 3,
      maxDelayMs: 0,
      seed: 1,
      log: capturingLogger([]),
    });
  });
  afterAll(async () => {
    await proxy.close();
    await t.stop();
  });

  it('moves a file up in 1-byte writes and back down identically', async () => {
    await writeFile(join(t.base, 'small.bin'), randomBytes(30_000));
    const port = String(proxy.address.port);
    expect((await ftpeer('put', '127.0.0.1', port, 'ft.bin', join(t.base, 'small.bin'), '--chunk', '1')).code).toBe(0);
    expect((await ftpeer('get', '127.0.0.1', port, 'ft.bin', join(t.base, 'ft-back.bin'))).code).toBe(0);
    expect(await sha256(join(t.base, 'ft-back.bin'))).toBe(await sha256(join(t.base, 'small.bin')));
  });
});
