/**
 * Adding a protocol is one folder and one line: the test protocol
 * (src/test-support/protocols/reverse/) has no command of its own and is
 * registered by one line (src/test-support/cli-with-reverse.ts); its server
 * and client come from its descriptor through the generic command, as real
 * processes over loopback TCP.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { REPO, run, startServerCommand, type ServerProcess } from '../test-support/processes';

const WIRESTATE_WITH_REVERSE = [
  process.execPath,
  '-r',
  'ts-node/register/transpile-only',
  join(REPO, 'src', 'test-support', 'cli-with-reverse.ts'),
];

let root: string;
let server: ServerProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-reverse-'));
  server = await startServerCommand([
    ...WIRESTATE_WITH_REVERSE,
    'reverse',
    'server',
    '--host',
    '127.0.0.1',
    '--root',
    root,
  ]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(root, { recursive: true, force: true });
});

const client = (...args: string[]) =>
  run(
    WIRESTATE_WITH_REVERSE[0],
    [...WIRESTATE_WITH_REVERSE.slice(1), 'reverse', 'client', '--port', String(server.port), ...args],
    { cwd: REPO },
  );

it('serves it on its default port through the shared server path, and its generic client prints the reply', async () => {
  const result = await client('hello', 'world');
  expect(result).toMatchObject({ code: EXIT.ok, stdout: 'dlrow olleh\n' });
  await server.logged(/\[c\d+\] .*replied/);
});

it('answers any client with the bytes its machine writes', async () => {
  const socket = connect(server.port, '127.0.0.1');
  socket.end('abc\nignored');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  expect(Buffer.concat(chunks).toString()).toBe('cba\n');
});
