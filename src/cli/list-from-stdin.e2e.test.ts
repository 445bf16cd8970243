/**
 * `--list-file -` reads the list from stdin, so none is left for an upload whose local file is `-`: the run
 * refuses it before anything moves (exit 2, one line) rather than upload an empty file. A download to `-`
 * (stdout) from a list on stdin is untouched. A real server and client processes, real files.
 */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, run, startServerProcess, type ServerProcess } from '../test-support/processes';

let root: string;
let server: ServerProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-list-stdin-'));
  await writeFile(join(root, 'here.txt'), 'served bytes\n');
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const client = (mode: string, list: string) =>
  run(process.execPath, [CLI, 'client', '-m', mode, '-s', `127.0.0.1:${server.port}`, '--list-file', '-'], {
    input: list,
  });

it('refuses an upload from - in a list read from stdin (exit 2, one line, nothing stored)', async () => {
  const result = await client('upload', 'up.bin\t-\n');
  expect(result).toEqual({
    code: EXIT.usage,
    stdout: '',
    stderr:
      'wirestate: --list-file - reads the list from stdin, which leaves none for an upload from -: name a local file; see --help\n',
  });
  expect(await readdir(root)).toEqual(['here.txt']);
});

it.each(['/dev/stdin', '/proc/self/fd/0'])(
  'refuses an upload from %s in a list read from stdin, as from -',
  async (name) => {
    const result = await client('upload', `up.bin\t${name}\n`);
    expect(result).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: `wirestate: --list-file - reads the list from stdin, which leaves none for an upload from ${name}: name a local file; see --help\n`,
    });
    expect(await readdir(root)).toEqual(['here.txt']);
  },
);

it('still downloads to - (stdout) from a list read from stdin', async () => {
  const result = await client('download', 'here.txt\t-\n');
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: EXIT.ok, stdout: 'served bytes\n' });
});
