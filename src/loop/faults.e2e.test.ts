/** Processes killed in the middle of a transfer: nothing is lost, nothing half-written is left. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { NOTHING_LEFT, leftovers, temporaryFiles } from '../test-support/leftovers';
import { CLI, sha256, startServerProcess, wirestate } from '../test-support/processes';
import { downloadArgs, uploadArgs } from '../test-support/transfer-client-args';
import { startTestServer } from '../test-support/servers';
import { stammerTo } from '../test-support/stammer';

/** A proxy slow enough that a 16 MiB transfer is surely still running when a process is killed. */
const slowProxy = (port: number) => stammerTo(port, { maxFragment: 16384, maxDelayMs: 2, seed: 5 });

/** A test server, and a promise that settles once it logs a line containing `text`. */
async function serverLogging(text: string) {
  let seen!: () => void;
  const logged = new Promise<void>((resolve) => (seen = resolve));
  const t = await startTestServer({ lines: [], onLine: (line) => line.includes(text) && seen() });
  return { t, logged };
}

it('a client killed mid-upload leaves no file and no temporary file, and frees the name', async () => {
  const { t, logged: uploadKnown } = await serverLogging('upload "big.bin"');
  const proxy = await slowProxy(t.port);
  await writeFile(join(t.base, 'big.bin'), randomBytes(16 * 1024 * 1024));
  const client = spawn(process.execPath, [CLI, ...uploadArgs(proxy.address.port, join(t.base, 'big.bin'), 'big.bin')]);
  const outcome = t.nextOutcome();
  await uploadKnown;
  client.kill('SIGKILL');
  expect(await outcome).toMatchObject({ ok: false, outcome: 'interrupted' });
  await proxy.close();
  expect(await leftovers(t)).toEqual(NOTHING_LEFT);
  expect(await readdir(t.files.root)).toEqual([]);
  await t.stop();
});

it('a client killed mid-download ends the connection as interrupted, with nothing held or left open', async () => {
  const { t, logged: downloadKnown } = await serverLogging('download "big.bin"');
  const proxy = await slowProxy(t.port);
  await writeFile(join(t.files.root, 'big.bin'), randomBytes(16 * 1024 * 1024));
  const client = spawn(process.execPath, [
    CLI,
    ...downloadArgs(proxy.address.port, 'big.bin', join(t.base, 'got.bin')),
  ]);
  const outcome = t.nextOutcome();
  await downloadKnown;
  // Killed once it has begun writing: its temporary file exists (looked for every 10 ms, for at most 10 s).
  for (let tries = 0; tries < 1000 && (await temporaryFiles(t.base)).length === 0; tries++) await delay(10);
  client.kill('SIGKILL');
  expect(await outcome).toMatchObject({ ok: false, outcome: 'interrupted' });
  await proxy.close();
  expect(await leftovers(t)).toEqual(NOTHING_LEFT);
  expect(await readdir(t.base)).not.toContain('got.bin');
  // The killed client could not remove its temporary file; the next download of the same file does.
  expect(await temporaryFiles(t.base)).toEqual([expect.stringMatching(/\.got\.bin\.\d+-[0-9a-f]+\.wirestate-part$/)]);
  const again = await wirestate([
    'client',
    '-s',
    `127.0.0.1:${t.port}`,
    '-v',
    'big.bin',
    '-l',
    join(t.base, 'got.bin'),
  ]);
  expect(again.code).toBe(EXIT.ok);
  expect(again.stderr).toMatch(/removed .*\.got\.bin\..*wirestate-part, left by an interrupted download/);
  expect(await temporaryFiles(t.base)).toEqual([]);
  expect(await sha256(join(t.base, 'got.bin'))).toBe(await sha256(join(t.files.root, 'big.bin')));
  await t.stop();
});

it('a server killed mid-download makes the client exit 5, keeping the previous local file and no temporary file', async () => {
  const base = await mkdtemp(join(tmpdir(), 'wirestate-kill-'));
  await mkdir(join(base, 'root'));
  await mkdir(join(base, 'local'));
  await writeFile(join(base, 'root', 'big.bin'), randomBytes(16 * 1024 * 1024));
  await writeFile(join(base, 'local', 'big.bin'), 'the previous version');
  const server = await startServerProcess(['--root', join(base, 'root')]);
  const proxy = await slowProxy(server.port);

  const client = spawn(
    process.execPath,
    [CLI, 'client', '-q', '-s', `127.0.0.1:${proxy.address.port}`, '-v', 'big.bin', '-l', 'big.bin'],
    { cwd: join(base, 'local') },
  );
  const clientExit = new Promise<number | null>((resolve) => client.once('exit', (code) => resolve(code)));
  // Killed once bytes have reached the client's disk: its hidden file holds some (looked at every 10 ms, for at most 10 s).
  const receiving = async () => {
    // Not the download's lock (.big.bin.wirestate-lock), which holds the client's process id before it connects.
    const hidden = (await readdir(join(base, 'local'))).filter(
      (name) => name !== 'big.bin' && !name.endsWith('wirestate-lock'),
    );
    const sizes = await Promise.all(
      hidden.map((name) =>
        stat(join(base, 'local', name)).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    return sizes.some((size) => size > 0);
  };
  for (let tries = 0; tries < 1000 && !(await receiving()); tries++) await delay(10);
  server.child.kill('SIGKILL');
  expect(await clientExit).toBe(EXIT.interrupted);
  expect(await readFile(join(base, 'local', 'big.bin'), 'utf8')).toBe('the previous version');
  // No temporary file; what came before the kill may be kept for a resume (README: a download keeps what it got).
  const left = (await readdir(join(base, 'local'))).filter((name) => name !== 'big.bin');
  expect(left.filter((name) => !/^\.big\.bin\.16777216-\d+-[0-9a-f]+\.wirestate-resume$/.test(name))).toEqual([]);
  await proxy.close();
  await rm(base, { recursive: true, force: true });
});
