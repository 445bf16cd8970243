/**
 * The seed's README for the advanced client and server, as written, through the npm scripts: "Input ls
 * chdir dl and quit commands at prompt": ls shows the working directory and its contents, chdir changes
 * it, dl downloads a file, quit disconnects. ("Any other input returns echo" is not what the original
 * server does: it answers Unrecognized Command!, and so does wirestate.)
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import {
  REPO,
  ardeiFreePortFlags,
  inTerminal,
  run,
  sha256,
  startServerCommand,
  type ServerProcess,
} from '../../src/test-support/processes';

const npm = (script: string, args: string[]) => ['npm', '--prefix', REPO, '--silent', 'run', script, '--', ...args];

let base: string;
let root: string;
let server: ServerProcess;
let port: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-advanced-seed-'));
  root = join(base, 'shared');
  await mkdir(join(root, 'docs'), { recursive: true });
  await writeFile(join(root, 'readme.txt'), 'served\n');
  await writeFile(join(root, 'docs', 'report.pdf'), randomBytes(300_000));
  // The README's `npm run ardei:server -- --advanced 8122 --root shared`, every port picked by the OS.
  server = await startServerCommand(npm('ardei:server', ardeiFreePortFlags(root)), true);
  await server.logged(/ardei-advanced server listening on [\d.]+:\d+/);
  port = /ardei-advanced server listening on [\d.]+:(\d+)/.exec(server.output())![1];
});
afterAll(async () => {
  process.kill(-server.child.pid!, 'SIGTERM');
  await server.exited;
  await rm(base, { recursive: true, force: true });
});

it('npm run ardei:client -- --advanced on a terminal: ls, chdir, dl and quit at the prompt', async () => {
  const here = await mkdtemp(join(base, 'here-'));
  const shown = await inTerminal(
    npm('ardei:client', ['--advanced', '--port', port]),
    'ls\nchdir docs\nls\ndl report.pdf\nquit\n',
    here,
  );
  expect(shown.code).toBe(EXIT.ok);
  expect(shown.stdout.split('ls, chdir PATH, dl PATH or quit: ')).toHaveLength(6);
  // ls: the working directory and all its contents.
  expect(shown.stdout).toContain('Current Working Directory: /\n\nFolders: \n\ndocs\n\nFiles: \n\nreadme.txt\n');
  // chdir: the server's working directory changes, and ls shows it.
  expect(shown.stdout).toContain('The new current working directory on the server is: /docs\n');
  expect(shown.stdout).toContain('Current Working Directory: /docs\n\nFolders: \n\n\nFiles: \n\nreport.pdf\n');
  // dl: the file, here, byte for byte.
  expect(shown.stdout).toContain('Saved report.pdf (300000 bytes)\n');
  expect(await sha256(join(here, 'report.pdf'))).toBe(await sha256(join(root, 'docs', 'report.pdf')));
  // quit: disconnects; the server saw it.
  await server.logged(/quit \(4 commands\)/);
});

it('npm run ardei:client -- --advanced from a pipe: other input is refused (exit 3), and the end of input quits', async () => {
  const piped = await run('sh', [
    '-c',
    `printf 'hello\\ndl nope.txt\\nchdir\\n' | npm --prefix '${REPO}' --silent run ardei:client -- --advanced --port ${port}`,
  ]);
  expect(piped.stdout).toBe('Unrecognized Command!\nInvalid File!\nNot a recognised directory.\n');
  expect(piped.code).toBe(EXIT.refused);
  await server.logged(/quit \(3 commands\)/);
});
