/**
 * A server killed after the last byte of an upload and before it stored the file: its kernel closes
 * the connection cleanly, which the plain protocol cannot tell from success. Between two wirestate
 * peers the client waits for the server's STORED_REPLY and does not exit 0 without it. The window is
 * widened for the test by the server's commit delay (src/storage/delayed-commits.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { EXIT } from '../engine/exit-codes';
import { COMMIT_DELAY_VARIABLE } from '../storage/delayed-commits';
import { CLI, startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let base: string;
let server: ServerProcess;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-stored-'));
  await mkdir(join(base, 'root'));
  await mkdir(join(base, 'local'));
  await writeFile(join(base, 'local', 'up.bin'), randomBytes(1024 * 1024));
  // Stores begin 20 s after the last byte: the kill below lands in that window, however slow the machine.
  server = await startServerProcess(['--root', join(base, 'root'), '-d'], ['env', `${COMMIT_DELAY_VARIABLE}=20000`]);
});
afterEach(async () => {
  server.child.kill('SIGKILL');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

/** Uploads up.bin, SIGKILLs the server once it is storing it, and returns how the client ended. */
async function uploadAndKillBeforeStore(...flags: string[]) {
  const client = spawn(
    process.execPath,
    [CLI, 'client', '-m', 'upload', '-s', `127.0.0.1:${server.port}`, '-l', 'up.bin', '-v', 'up.bin', ...flags],
    { cwd: join(base, 'local'), stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
  );
  let stderr = '';
  client.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(client, 'exit');
  await server.logged(/state uploading\.storing/);
  server.child.kill('SIGKILL');
  const [code] = (await exited) as [number | null];
  return { code, stderr };
}

it('the wirestate client does not exit 0 when the server dies between the last byte and the store', async () => {
  const { code, stderr } = await uploadAndKillBeforeStore();
  expect(code).toBe(EXIT.serverError);
  expect(stderr).toContain('the server did not store it: the server closed without confirming it was stored');
  expect(await readdir(join(base, 'root'))).not.toContain('up.bin');
});

it('with --plain the same kill reads as success: the gap the seed protocol leaves', async () => {
  const { code } = await uploadAndKillBeforeStore('--plain');
  expect(code).toBe(EXIT.ok);
  expect(await readdir(join(base, 'root'))).not.toContain('up.bin');
});

it('an upload the server lives to store is confirmed and exits 0', async () => {
  server.child.kill('SIGKILL');
  await server.exited;
  server = await startServerProcess(['--root', join(base, 'root')]);
  const result = await wirestate(
    ['client', '-m', 'upload', '-s', `127.0.0.1:${server.port}`, '-l', 'up.bin', '-v', 'up.bin', '-d'],
    join(base, 'local'),
  );
  expect(result.code).toBe(EXIT.ok);
  expect(result.stderr).toMatch(/state wait_upload_stored[\s\S]*state upload_complete/);
  expect(await readdir(join(base, 'root'))).toContain('up.bin');
});
