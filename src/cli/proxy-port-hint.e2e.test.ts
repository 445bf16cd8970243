/**
 * The transfer client's default server is the proxy's port, 50000. Refused there (only the server runs), the one
 * line says what 50000 is and how to reach the server. In a network namespace of its own: nothing listens on
 * 50000 there, whatever runs on this machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, run } from '../test-support/processes';

let here: string;
beforeAll(async () => {
  here = await mkdtemp(join(tmpdir(), 'wirestate-proxy-hint-'));
});
afterAll(() => rm(here, { recursive: true, force: true }));

const inOwnNetwork = (args: string[]) =>
  run('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, CLI, ...args], {
    cwd: here,
  });

it.each([
  ['a download', ['client', '-v', 'speech.txt', '-l', 'copy.txt']],
  ['a listing', ['client', '--list']],
])('%s from the default server: refused, the line names the proxy and the server port', async (_what, args) => {
  const result = await inOwnNetwork(args);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toContain(
    "cannot connect to 127.0.0.1:50000: connection refused (nothing listens there) (ECONNREFUSED); 50000 is the proxy's port: start the proxy (wirestate proxy), or reach the server directly with -s 127.0.0.1:50001",
  );
});

it('says nothing of the proxy for a port given that is not its own', async () => {
  const result = await inOwnNetwork(['client', '-s', '127.0.0.1:50001', '-v', 'speech.txt', '-l', 'copy.txt']);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toContain('cannot connect to 127.0.0.1:50001');
  expect(result.stderr).not.toContain('proxy');
});
