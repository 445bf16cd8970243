/**
 * The share and blocks clients say a local file they cannot write in words, as the transfer client does
 * (local-failure-words.ts): `cannot write /dev/full: no space left on the device (ENOSPC)`, and standard output
 * as such. Before: `/dev/full: ENOSPC`, `/tmp/x/-: ENOSPC` (share), `cannot write -: ENOSPC` (blocks).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, run, startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

let root: string;
let share: ServerProcess;
let blocks: ServerProcess;
let queue: ServerProcess;
let transfer: ServerProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-local-write-'));
  await writeFile(join(root, 'a.txt'), 'hello\n');
  share = await startCliServer(['share', 'server', '0', '--host', '127.0.0.1', '--root', root]);
  blocks = await startCliServer(['blocks', 'server', '0', '--host', '127.0.0.1', '--root', root]);
  queue = await startCliServer(['queue', 'server', '0', 'TCP', '--host', '127.0.0.1']);
  transfer = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', root]);
});
afterAll(async () => {
  for (const server of [share, blocks, queue, transfer]) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await rm(root, { recursive: true, force: true });
});

const NO_ROOM = 'no space left on the device (ENOSPC)';
/** `wirestate ARGS > /dev/full`, in a shell. */
const toFullStdout = (args: string[]) =>
  run('sh', ['-c', `"${process.execPath}" "${CLI}" ${args.join(' ')} > /dev/full`]);

it('share client get: a file it cannot write, and stdout, said in words (exit 7)', async () => {
  const get = ['share', 'client', '127.0.0.1', String(share.port), 'get', 'a.txt', '-o'];
  expect(await wirestate([...get, '/dev/full'])).toMatchObject({
    code: EXIT.localFile,
    stderr: `wirestate share client: cannot write /dev/full: ${NO_ROOM}\n`,
  });
  expect(await toFullStdout([...get, '-'])).toMatchObject({
    code: EXIT.localFile,
    stderr: `wirestate share client: cannot write to standard output: ${NO_ROOM}\n`,
  });
});

it('blocks client: a file it cannot write, and stdout, said in words (exit 7)', async () => {
  const source = `127.0.0.1:${blocks.port}:a.txt`;
  expect(await wirestate(['blocks', 'client', source, '/dev/full'])).toMatchObject({
    code: EXIT.localFile,
    stderr: `wirestate blocks client: cannot write /dev/full: ${NO_ROOM}\n`,
  });
  expect(await toFullStdout(['blocks', 'client', source, '-'])).toMatchObject({
    code: EXIT.localFile,
    stderr: `wirestate blocks client: cannot write to standard output: ${NO_ROOM}\n`,
  });
});

it('queue client receive --json with stdout unwritable: the message taken is said lost, in one line (exit 7)', async () => {
  const client = ['queue', 'client', '127.0.0.1', String(queue.port), 'TCP'];
  await writeFile(join(root, 'message.txt'), 'hello');
  expect(await wirestate([...client, 'send', join(root, 'message.txt')])).toMatchObject({ code: EXIT.ok });
  const lost =
    'wirestate queue client: took a message of 6 bytes from the queue but cannot write it to standard output: ' +
    `${NO_ROOM}; the message is lost: it is no longer in the queue\n`;
  expect(await toFullStdout([...client, 'receive', '--json'])).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: lost,
  });
  // It was taken, the queue is empty now: the next receive's result has no message in it, and says what it could
  // not write (a message still queued would be said lost, as above).
  expect(await toFullStdout([...client, 'receive', '--json'])).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: `wirestate queue client: cannot write the result to standard output: ${NO_ROOM}\n`,
  });
});

it('transfer client --json with stdout unwritable: one line, exit 7, the file downloaded all the same', async () => {
  const unwritten = `wirestate client: cannot write the result to standard output: ${NO_ROOM}\n`;
  const at = `127.0.0.1:${transfer.port}`;
  const copy = join(root, 'copy.txt');
  expect(await toFullStdout(['client', '-s', at, '-v', 'a.txt', '-l', copy, '--json'])).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: unwritten,
  });
  expect(await readFile(copy, 'utf8')).toBe('hello\n');
  expect(await toFullStdout(['client', '-s', at, '--list', '--json'])).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: unwritten,
  });
});

it('transfer client, several files --json with stdout unwritable: one line, exit 7, every file downloaded', async () => {
  await writeFile(join(root, 'b.txt'), 'world\n');
  const at = `127.0.0.1:${transfer.port}`;
  const [first, second] = [join(root, 'first.txt'), join(root, 'second.txt')];
  expect(
    await toFullStdout(['client', '-s', at, '-v', 'a.txt', '-l', first, '-v', 'b.txt', '-l', second, '--json']),
  ).toEqual({
    code: EXIT.localFile,
    stdout: '',
    stderr: `wirestate client: cannot write the results to standard output: ${NO_ROOM}\n`,
  });
  expect(await readFile(first, 'utf8')).toBe('hello\n');
  expect(await readFile(second, 'utf8')).toBe('world\n');
});

it('transfer client --json --log-format json with stdout unwritable: that line is JSON too, one file or several', async () => {
  await writeFile(join(root, 'b.txt'), 'world\n');
  const at = `127.0.0.1:${transfer.port}`;
  const [first, second] = [join(root, 'first.txt'), join(root, 'second.txt')];
  const json = ['--json', '--log-format', 'json'];
  for (const [args, what] of [
    [['-v', 'a.txt', '-l', first], 'result'],
    [['-v', 'a.txt', '-l', first, '-v', 'b.txt', '-l', second], 'results'],
    [['--list'], 'result'],
  ] as const) {
    const result = await toFullStdout(['client', '-s', at, ...args, ...json]);
    expect(result.code).toBe(EXIT.localFile);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.at(-1) && JSON.parse(lines.at(-1)!)).toMatchObject({
      level: 'error',
      message: `cannot write the ${what} to standard output: ${NO_ROOM}`,
      event: 'result_unwritten',
      exit_code: EXIT.localFile,
    });
  }
});
