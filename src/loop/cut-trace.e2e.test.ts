/**
 * A connection the server cut for a limit of its slot (here `--request-timeout`) is recorded as the machine was told
 * it, an `error` entry naming the limit, so `replay --check` cuts it at the same point: the same states and outcome.
 */
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
let server: ServerProcess | undefined;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-cut-trace-'));
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await rm(base, { recursive: true, force: true });
});

it('a request cut by --request-timeout is in the trace as the error the machine met, and replays the same', async () => {
  const traces = join(base, 'traces');
  server = await startServerProcess(['--root', join(base, 'root'), '--record', traces, '--request-timeout', '0.5']);
  const slow = connect(server.port, '127.0.0.1');
  // The cut is a reset.
  const closed = new Promise((resolve) => slow.on('error', () => undefined).on('close', resolve));
  await once(slow, 'connect');
  // Half a request's first bytes, then nothing: the request is never whole.
  slow.write('Dspeech');
  await closed;
  await server.logged(/interrupted \(request_timeout\)/);
  const [file] = await readdir(traces);
  const entries = (await readFile(join(traces, file), 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.filter((entry) => 'error' in entry)).toEqual([{ t: expect.any(Number), error: 'request_timeout' }]);
  const check = await wirestate(['replay', '--check', join(traces, file)]);
  expect(check.stdout).toMatch(/replay as recorded: same bytes, same states, same outcome/);
  expect(check.stdout).toMatch(/replay in 1-byte pieces: same bytes, same states, same outcome/);
  expect(check.code).toBe(EXIT.ok);
});
