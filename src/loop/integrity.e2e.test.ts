/**
 * One byte changed in flight between two wirestate peers, each way, by the stammer proxy's
 * `--corrupt-after`: the receiver's SHA-256 check keeps no file and the client exits 9.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import type { CorruptDirection, RunningProxy } from '../proxy/stammer-proxy';
import { NOTHING_LEFT, leftovers } from '../test-support/leftovers';
import { sha256, wirestate } from '../test-support/processes';
import { startTestServer, type TestServer } from '../test-support/servers';
import { stammerTo } from '../test-support/stammer';

const SIZE = 1024 * 1024;
/** Bytes before the file's own in each direction: HELLO + REQUEST + UPLOAD_SIZE up, HELLO_REPLY + DOWNLOAD_REPLY_X down. */
const BEFORE_UPLOAD_DATA = 256 + 256 + 8;
const BEFORE_DOWNLOAD_DATA = 16 + 17;

/** The stammer proxy in front of the test server, changing the byte after the first `after` going `direction`. */
const corruptingProxy = (upstreamPort: number, corrupt?: { after: number; direction: CorruptDirection }) =>
  stammerTo(upstreamPort, { maxFragment: 65536, maxDelayMs: 0, seed: 7, corrupt });

let t: TestServer;
let local: string;
let proxy: RunningProxy | undefined;
beforeEach(async () => {
  t = await startTestServer();
  local = join(t.base, 'local');
  await mkdir(local);
  await writeFile(join(local, 'up.bin'), randomBytes(SIZE));
  await writeFile(join(t.files.root, 'down.bin'), randomBytes(SIZE));
});
afterEach(async () => {
  await proxy?.close();
  expect(await leftovers(t)).toEqual(NOTHING_LEFT);
  await t.stop();
});

const via = (through: RunningProxy, ...args: string[]) =>
  wirestate(['client', '-s', `127.0.0.1:${through.address.port}`, ...args], local);

it('an upload with a byte changed in flight is not stored, and the client exits 9', async () => {
  proxy = await corruptingProxy(t.port, { after: BEFORE_UPLOAD_DATA + 500_000, direction: 'up' });
  const result = await via(proxy, '-m', 'upload', '-l', 'up.bin', '-v', 'up.bin');
  expect(result.code).toBe(EXIT.integrity);
  expect(result.stderr).toContain('the file did not arrive intact, nothing was kept');
  expect(await t.nextOutcome()).toMatchObject({ outcome: 'corrupted', code: 'file.digest_mismatch' });
  expect(await readdir(t.files.root)).toEqual(['down.bin']);
});

it('a download with a byte changed in flight is not kept, and the client exits 9', async () => {
  proxy = await corruptingProxy(t.port, { after: BEFORE_DOWNLOAD_DATA + 500_000, direction: 'down' });
  const result = await via(proxy, '-v', 'down.bin', '-l', 'down.bin');
  expect(result.code).toBe(EXIT.integrity);
  expect(result.stderr).toContain('the file did not arrive intact, nothing was kept');
  expect(await readdir(local)).toEqual(['up.bin']);
});

it('with --no-verify the changed upload is stored and exit 0 (what the check catches)', async () => {
  proxy = await corruptingProxy(t.port, { after: BEFORE_UPLOAD_DATA + 500_000, direction: 'up' });
  const result = await via(proxy, '-m', 'upload', '-l', 'up.bin', '-v', 'up.bin', '--no-verify');
  expect(result.code).toBe(EXIT.ok);
  expect(await sha256(join(t.files.root, 'up.bin'))).not.toBe(await sha256(join(local, 'up.bin')));
});

it('untouched, both ways are checked and kept', async () => {
  proxy = await corruptingProxy(t.port);
  expect((await via(proxy, '-m', 'upload', '-l', 'up.bin', '-v', 'up.bin')).code).toBe(EXIT.ok);
  expect((await via(proxy, '-v', 'down.bin', '-l', 'down.bin')).code).toBe(EXIT.ok);
  expect(await sha256(join(t.files.root, 'up.bin'))).toBe(await sha256(join(local, 'up.bin')));
  expect(await sha256(join(local, 'down.bin'))).toBe(await sha256(join(t.files.root, 'down.bin')));
});
