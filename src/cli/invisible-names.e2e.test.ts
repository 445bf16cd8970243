/**
 * `--list` shows a name's invisible format characters escaped, as it shows control characters: a right-to-left
 * override cannot make `\u202egnp.exe` read as `exe.png`, nor a zero-width space hide in a name. `--json` keeps
 * the names as they are (data for a program, not text for a terminal). A real server process, real files.
 */
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

const NAMES = ['\u202egnp.exe', 'a\u200bb', 'x\u2066y\u2069\u200e', 'p\u2028q'];
let server: ServerProcess;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'wirestate-invisible-'));
  for (const name of NAMES) {
    await writeFile(join(root, name), '');
    await utimes(join(root, name), 0, 0);
  }
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const list = (...flags: string[]) => wirestate(['client', '-s', `127.0.0.1:${server.port}`, '--list', ...flags]);

it('--list prints bidi controls, other invisible format characters and line separators as \\uNNNN', async () => {
  const result = await list();
  expect({ code: result.code, stdout: result.stdout }).toEqual({
    code: EXIT.ok,
    stdout: [
      '0 B  1970-01-01 00:00:00Z  a\\u200bb',
      '0 B  1970-01-01 00:00:00Z  p\\u2028q',
      '0 B  1970-01-01 00:00:00Z  x\\u2066y\\u2069\\u200e',
      '0 B  1970-01-01 00:00:00Z  \\u202egnp.exe',
      '',
    ].join('\n'),
  });
});

it('--json keeps the names as they are', async () => {
  const result = await list('--json');
  const files = (JSON.parse(result.stdout) as { files: { name: string }[] }).files.map((file) => file.name);
  expect(files.sort()).toEqual([...NAMES].sort());
});
