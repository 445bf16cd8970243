/**
 * The transfer client's lines on stderr show a name's control characters as `\xNN` (printable.ts), C1 among them
 * (U+009B is CSI: `a<U+009B>2J` would clear the screen of whoever reads the line), as every other client's lines do:
 * the one-file refusal, a line of a run of several files, a refused command line, the start line. Before, each
 * echoed the name raw.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate, type ServerProcess } from '../test-support/processes';

let root: string;
let server: ServerProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-name-controls-'));
  await writeFile(join(root, 'x.txt'), 'hello\n');
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(root, { recursive: true, force: true });
});

const client = (...args: string[]) => wirestate(['client', '-s', `127.0.0.1:${server.port}`, ...args], root);
const C1 = /[\u0080-\u009f]/;

it('one file: the refusal of a local name shows its C1 character as \\x9b (exit 7)', async () => {
  expect(await client('-v', 'x.txt', '-l', 'd\u009b2J/')).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: 'wirestate client: d\\x9b2J/ names a folder, and there is no such folder: name a file to download into\n',
  });
  expect(await client('-m', 'upload', '-l', 'gone\u009b2J')).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: 'wirestate client: cannot use gone\\x9b2J: no such file or folder (ENOENT)\n',
  });
});

it("several files: the failed file's line shows it escaped too, and the run says no C1 anywhere", async () => {
  const result = await client('-v', 'x.txt', '-l', 'd\u009b2J/', '-v', 'x.txt', '-l', 'copy.txt');
  expect(result.code).toBe(EXIT.localFile);
  expect(result.stderr).toContain(
    'wirestate client: x.txt -> d\\x9b2J/: d\\x9b2J/ names a folder, and there is no such folder: name a file to download into\n',
  );
  expect(result.stderr).not.toMatch(C1);
});

it('a command line refused for a name shows it escaped (exit 2)', async () => {
  const twice = await client('-v', 'a', '-l', 'z\u009b2J', '-v', 'b', '-l', 'z\u009b2J');
  expect(twice).toEqual({
    code: EXIT.usage,
    stdout: '',
    stderr: 'wirestate: two downloads into z\\x9b2J: give each its own local file; see --help\n',
  });
});

it('the start line of a transfer shows a remote name escaped', async () => {
  const result = await client('-v', 'x\u009b2J.txt', '-l', 'out.txt');
  expect(result.code).toBe(EXIT.serverError);
  expect(result.stderr.split('\n')[0]).toBe(`download x\\x9b2J.txt -> out.txt via 127.0.0.1:${server.port}`);
  expect(result.stderr).not.toMatch(C1);
});

it('--log-format json: the refused command line escapes a C1 character as the log lines do (\\u009b), exit 2', async () => {
  const twice = await client('--log-format', 'json', '-v', 'a', '-l', 'z\u009b2J', '-v', 'b', '-l', 'z\u009b2J');
  expect(twice.code).toBe(EXIT.usage);
  expect(twice.stderr).not.toMatch(C1);
  expect(twice.stderr).toContain('"message":"two downloads into z\\u009b2J: give each its own local file"');
  expect(JSON.parse(twice.stderr)).toMatchObject({
    message: 'two downloads into z\u009b2J: give each its own local file',
  });
});

it('--json: the object on stdout escapes a C1 character too (\\u009b), and reads back as the name', async () => {
  const twice = await client('--json', '-v', 'a', '-l', 'z\u009b2J', '-v', 'b', '-l', 'z\u009b2J');
  expect(twice.code).toBe(EXIT.usage);
  expect(twice.stdout).not.toMatch(C1);
  expect(twice.stdout).toContain('"detail":"two downloads into z\\u009b2J: give each its own local file"');
  expect(JSON.parse(twice.stdout)).toMatchObject({
    detail: 'two downloads into z\u009b2J: give each its own local file',
  });
});
