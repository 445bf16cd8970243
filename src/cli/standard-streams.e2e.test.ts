/** `-` for stdin/stdout and `--json` results, with real processes piping bytes in and out over loopback. */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, run, startCliServer, startServerProcess, type ServerProcess } from '../test-support/processes';

let root: string;
let server: ServerProcess;
/** A share server on the same folder, for the share client's - both ways. */
let share: ServerProcess;
const TEXT = 'piped through a wirestate server\n'.repeat(100);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-std-'));
  await writeFile(join(root, 'speech.txt'), TEXT);
  server = await startServerProcess(['--root', root]);
  share = await startCliServer(['share', 'server', '0', '--host', '127.0.0.1', '--root', root]);
});
afterAll(async () => {
  for (const each of [server, share]) each.child.kill('SIGTERM');
  await Promise.all([server.exited, share.exited]);
});

/** Runs a shell pipeline where `wirestate` stands for the compiled CLI. */
const shell = (line: string) =>
  run('sh', ['-c', line.replace(/wirestate/g, `"${process.execPath}" "${CLI}"`)], { cwd: root });
const client = (rest: string) => `wirestate client -s 127.0.0.1:${server.port} ${rest}`;

it('client -l - downloads to stdout, writing no file named -', async () => {
  const result = await shell(`${client('-v speech.txt -l -')} > out.bin`);
  expect(result.code).toBe(EXIT.ok);
  expect(await readFile(join(root, 'out.bin'), 'utf8')).toBe(TEXT);
  expect(await readdir(root)).not.toContain('-');
});

it('client -m upload -l - uploads stdin', async () => {
  const result = await shell(`printf 'from a pipe\\n' | ${client('-m upload -v piped.txt -l -')}`);
  expect(result.code).toBe(EXIT.ok);
  expect(await readFile(join(root, 'piped.txt'), 'utf8')).toBe('from a pipe\n');
});

it('--json prints one result object on stdout and nothing else there, success or refusal', async () => {
  const ok = await shell(client('--json -v speech.txt -l got.txt'));
  expect(ok.code).toBe(EXIT.ok);
  const lines = ok.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({
    operation: 'download',
    name: 'speech.txt',
    outcome: 'downloaded',
    bytes: TEXT.length,
    duration_ms: expect.any(Number),
    exit_code: 0,
  });

  const refused = await shell(client('--json -v nothing-here.txt -l none.txt'));
  expect(refused.code).toBe(EXIT.refused);
  expect(JSON.parse(refused.stdout)).toMatchObject({
    operation: 'download',
    outcome: 'refused',
    code: 'peer.refused',
    bytes: 0,
    exit_code: EXIT.refused,
  });
});

it('blocks client SOURCE - and share client get NAME -o - write the file to stdout, into a pipe', async () => {
  const blocks = await startCliServer(['blocks', 'server', '0', '--host', '127.0.0.1', '--root', root]);
  try {
    const fetched = await shell(`wirestate blocks client 127.0.0.1:${blocks.port}:speech.txt - | sha256sum`);
    const got = await shell(`wirestate share client 127.0.0.1 ${share.port} get speech.txt -o - | sha256sum`);
    const expected = (await shell('sha256sum < speech.txt')).stdout;
    expect(fetched).toMatchObject({ code: EXIT.ok, stdout: expected });
    expect(got).toMatchObject({ code: EXIT.ok, stdout: expected });
    expect(await readdir(root)).not.toContain('-');
  } finally {
    blocks.child.kill('SIGTERM');
    await blocks.exited;
  }
});

it('share client put NAME -i - stores standard input as NAME; put - alone says how, exit 2', async () => {
  const put = await shell(
    `printf 'from a pipe\\n' | wirestate share client 127.0.0.1 ${share.port} put stdin.txt -i -`,
  );
  expect(put).toMatchObject({ code: EXIT.ok, stderr: 'put stdin.txt: 12 B stored on the server\n' });
  expect(await readFile(join(root, 'stdin.txt'), 'utf8')).toBe('from a pipe\n');
  const stored = (await readdir(root)).sort();
  const bare = await shell(`echo x | wirestate share client 127.0.0.1 ${share.port} put -`);
  expect(bare).toMatchObject({
    code: EXIT.usage,
    stderr: 'wirestate: put - needs the name to store it under: put NAME -i - sends stdin as NAME; see --help\n',
  });
  expect((await readdir(root)).sort()).toEqual(stored);
});
