/**
 * `wirestate client --list` against `ftpeer.py serve`, which answers like the original server: it drops
 * the hello unanswered, so after the hello's wait the client says the server cannot list (exit 10) and
 * sends its plain farewell `D`, which the peer answers `F` and closes on. The peer is left serving.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { FTPEER, startPeerServer, type PeerServer } from '../test-support/peers';
import { wirestate } from '../test-support/processes';

let base: string;
let peer: PeerServer;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-listing-interop-'));
  await mkdir(join(base, 'root'));
  await writeFile(join(base, 'root', 'speech.txt'), 'Four score\n');
  peer = await startPeerServer(FTPEER, (port) => ['serve', String(port), join(base, 'root')]);
});
afterAll(async () => {
  await peer.stop();
  await rm(base, { recursive: true, force: true });
});

it('says "this server cannot list", exit 10, and leaves the server serving', async () => {
  const at = `127.0.0.1:${peer.port}`;
  const listed = await wirestate(['client', '-s', at, '--list', '--hello-wait', '0.5']);
  expect(listed).toMatchObject({
    code: EXIT.cannotList,
    stdout: '',
    stderr:
      'wirestate client: this server cannot list: the server speaks only the plain protocol, which has no listing\n',
  });
  const json = await wirestate(['client', '-s', at, '--list', '--json', '--hello-wait', '0.5']);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, outcome: 'cannot_list', exit_code: EXIT.cannotList });
  const download = await wirestate([
    'client',
    '-q',
    '--plain',
    '-s',
    at,
    '-v',
    'speech.txt',
    '-l',
    join(base, 'got.txt'),
  ]);
  expect(download.code).toBe(EXIT.ok);
  expect(await readFile(join(base, 'got.txt'), 'utf8')).toBe('Four score\n');
});
