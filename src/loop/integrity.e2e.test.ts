/**
 * One byte flipped in flight between two wirestate peers, each way: the receiver's SHA-256 check
 * keeps no file and the client exits 9. The flipping proxy is local to this test (the stammer proxy's
 * `--corrupt-after` is another branch's).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { NOTHING_LEFT, leftovers } from '../test-support/leftovers';
import { sha256, wirestate } from '../test-support/processes';
import { startTestServer, type TestServer } from '../test-support/servers';

const SIZE = 1024 * 1024;
/** Bytes before the file's own in each direction: HELLO + REQUEST + UPLOAD_SIZE up, HELLO_REPLY + DOWNLOAD_REPLY_X down. */
const BEFORE_UPLOAD_DATA = 256 + 256 + 8;
const BEFORE_DOWNLOAD_DATA = 16 + 17;

/** A proxy that inverts the byte at `offset` of the stream going `direction`, and passes everything else on. */
async function flippingProxy(upstreamPort: number, direction: 'up' | 'down', offset: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    const pass = (from: Socket, to: Socket, flips: boolean) => {
      let seen = 0;
      from.on('data', (chunk: Buffer) => {
        if (flips && offset >= seen && offset < seen + chunk.length) {
          chunk = Buffer.from(chunk);
          chunk[offset - seen] ^= 0xff;
        }
        seen += chunk.length;
        to.write(chunk);
      });
      from.on('end', () => to.end());
      from.on('error', () => to.resetAndDestroy());
    };
    pass(client, upstream, direction === 'up');
    pass(upstream, client, direction === 'down');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

let t: TestServer;
let local: string;
let proxy: Server | undefined;
beforeEach(async () => {
  t = await startTestServer();
  local = join(t.base, 'local');
  await mkdir(local);
  await writeFile(join(local, 'up.bin'), randomBytes(SIZE));
  await writeFile(join(t.files.root, 'down.bin'), randomBytes(SIZE));
});
afterEach(async () => {
  proxy?.close();
  expect(await leftovers(t)).toEqual(NOTHING_LEFT);
  await t.stop();
});

const via = (server: Server, ...args: string[]) =>
  wirestate(['client', '-s', `127.0.0.1:${(server.address() as AddressInfo).port}`, ...args], local);

it('an upload with a byte flipped in flight is not stored, and the client exits 9', async () => {
  proxy = await flippingProxy(t.port, 'up', BEFORE_UPLOAD_DATA + 500_000);
  const result = await via(proxy, '-m', 'upload', '-l', 'up.bin', '-v', 'up.bin');
  expect(result.code).toBe(EXIT.integrity);
  expect(result.stderr).toContain('the file did not arrive intact, nothing was kept');
  expect(await t.nextOutcome()).toMatchObject({ outcome: 'corrupted', code: 'file.digest_mismatch' });
  expect(await readdir(t.files.root)).toEqual(['down.bin']);
});

it('a download with a byte flipped in flight is not kept, and the client exits 9', async () => {
  proxy = await flippingProxy(t.port, 'down', BEFORE_DOWNLOAD_DATA + 500_000);
  const result = await via(proxy, '-v', 'down.bin', '-l', 'down.bin');
  expect(result.code).toBe(EXIT.integrity);
  expect(result.stderr).toContain('the file did not arrive intact, nothing was kept');
  expect(await readdir(local)).toEqual(['up.bin']);
});

it('with --no-verify the flipped upload is stored and exit 0 (what the check catches)', async () => {
  proxy = await flippingProxy(t.port, 'up', BEFORE_UPLOAD_DATA + 500_000);
  const result = await via(proxy, '-m', 'upload', '-l', 'up.bin', '-v', 'up.bin', '--no-verify');
  expect(result.code).toBe(EXIT.ok);
  expect(await sha256(join(t.files.root, 'up.bin'))).not.toBe(await sha256(join(local, 'up.bin')));
});

it('untouched, both ways are checked and kept', async () => {
  proxy = await flippingProxy(t.port, 'up', Number.MAX_SAFE_INTEGER);
  expect((await via(proxy, '-m', 'upload', '-l', 'up.bin', '-v', 'up.bin')).code).toBe(EXIT.ok);
  expect((await via(proxy, '-v', 'down.bin', '-l', 'down.bin')).code).toBe(EXIT.ok);
  expect(await sha256(join(t.files.root, 'up.bin'))).toBe(await sha256(join(local, 'up.bin')));
  expect(await sha256(join(local, 'down.bin'))).toBe(await sha256(join(t.files.root, 'down.bin')));
});
