/**
 * A server whose log reader goes away (`wirestate server | head -1`) keeps serving: it says so once on stderr and
 * logs no more. Before: the next batch of lines threw EPIPE from the log's flush and the server died with a stack
 * trace, cutting the download in flight. A client whose stderr reader goes away does its job unsaid (it ended with
 * exit 1, nothing downloaded).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI, startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let folder: string;
let server: ServerProcess;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wirestate-log-reader-gone-'));
  await writeFile(join(folder, 'a.txt'), 'hello\n');
  server = await startServerProcess(['--root', folder]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

it('keeps serving after its stdout reader goes away, and says so once on stderr', async () => {
  server.child.stdout!.destroy();
  for (const round of [1, 2]) {
    const local = join(folder, `got-${round}.txt`);
    const result = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '-v', 'a.txt', '-l', local]);
    expect(result.code).toBe(0);
    expect(await readFile(local, 'utf8')).toBe('hello\n');
  }
  expect(server.child.exitCode).toBeNull();
  const said = server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('wirestate'));
  expect(said).toEqual(["wirestate: the log's reader went away (EPIPE): serving on without a log"]);
});

it('a client whose stderr reader goes away still downloads, exit 0', async () => {
  const local = join(folder, 'got-by-quiet-client.txt');
  const client = spawn(
    process.execPath,
    [CLI, 'client', '-s', `127.0.0.1:${server.port}`, '-v', 'a.txt', '-l', local],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  client.stderr.destroy();
  const [code] = (await once(client, 'exit')) as [number | null];
  expect(code).toBe(0);
  expect(await readFile(local, 'utf8')).toBe('hello\n');
});
