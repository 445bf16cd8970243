/**
 * Adding a protocol is one folder and one line: the test protocol
 * (src/test-support/protocols/reverse/) has no command of its own and is
 * registered by one line (src/test-support/cli-with-reverse.ts); its server
 * and client come from its descriptor through the generic command, as real
 * processes over loopback TCP.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { EXIT } from '../engine/exit-codes';
import { REPO, run, startServerCommand, type ServerProcess } from '../test-support/processes';

/** What the test protocol adds (its folder, and the one line that registers it), under src/test-support. */
const ADDED = ['cli-with-reverse.ts', 'protocols/reverse/index.ts', 'protocols/reverse/server.ts'];
const BUILT = join(REPO, 'dist', 'src', 'test-support');

/**
 * Compiles what the test protocol adds next to the built wirestate, as `npm run build` compiles the rest (the build
 * leaves test support out): its imports reach dist's modules. Each process then starts like `wirestate` does, where
 * under ts-node each compiled the whole source tree again (about 5 s of CPU a process).
 */
async function buildAdded(): Promise<void> {
  const { config } = ts.readConfigFile(join(REPO, 'tsconfig.json'), (path) => ts.sys.readFile(path)) as {
    config: { compilerOptions: unknown };
  };
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, REPO);
  for (const file of ADDED) {
    const source = await readFile(join(REPO, 'src', 'test-support', file), 'utf8');
    const built = join(BUILT, file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(built), { recursive: true });
    await writeFile(
      built,
      ts.transpileModule(source, { compilerOptions: { ...options, sourceMap: false } }).outputText,
    );
  }
}

const WIRESTATE_WITH_REVERSE = [process.execPath, join(BUILT, 'cli-with-reverse.js')];

let root: string;
let server: ServerProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-reverse-'));
  await buildAdded();
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
  await rm(join(BUILT, 'cli-with-reverse.js'));
  await rm(join(BUILT, 'protocols'), { recursive: true });
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
