/**
 * A connection the server cut, for a limit of its slot (`--request-timeout`) or because it stopped (`--grace` ran
 * out), is recorded as the machine was told it, an `error` entry naming why, so `replay --check` cuts it at the
 * same point: the same states and outcome.
 */
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-cut-trace-'));
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
  await rm(base, { recursive: true, force: true });
});

/** A server recording into its own folder, with `flags`, and a connection to it that sent half a request. */
async function halfRequest(folder: string, flags: string[]) {
  const traces = join(base, folder);
  const server = await startServerProcess(['--root', join(base, 'root'), '--record', traces, ...flags]);
  servers.push(server);
  const slow = connect(server.port, '127.0.0.1');
  // A cut is a reset.
  const closed = new Promise((resolve) => slow.on('error', () => undefined).on('close', resolve));
  await once(slow, 'connect');
  slow.write('Dspeech');
  return { server, traces, closed };
}

/** The one trace in `traces`: its error entries, and what `replay --check` said of it. */
async function checked(traces: string) {
  const [file] = await readdir(traces);
  const errors = (await readFile(join(traces, file), 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => 'error' in entry);
  return { errors, check: await wirestate(['replay', '--check', join(traces, file)]) };
}

const SAME =
  /replay as recorded: same bytes, same states, same outcome\nreplay in 1-byte pieces: same bytes, same states, same outcome/;

it('a request cut by --request-timeout is in the trace as the error the machine met, and replays the same', async () => {
  const { server, traces, closed } = await halfRequest('timeout', ['--request-timeout', '0.5']);
  await closed;
  await server.logged(/interrupted \(request_timeout\)/);
  const { errors, check } = await checked(traces);
  expect(errors).toEqual([{ t: expect.any(Number), error: 'request_timeout' }]);
  expect(check.stdout).toMatch(SAME);
  expect(check.code).toBe(EXIT.ok);
});

it('a connection still open when a stopping server gives up on it is in the trace as closed, and replays the same', async () => {
  const { server, traces, closed } = await halfRequest('stopped', ['--grace', '0.2']);
  await server.logged(/\] connected from/);
  server.child.kill('SIGTERM');
  await server.exited;
  await closed;
  const { errors, check } = await checked(traces);
  expect(errors).toEqual([{ t: expect.any(Number), error: 'closed' }]);
  expect(check.stdout).toMatch(SAME);
  expect(check.code).toBe(EXIT.ok);
});
