/**
 * The word after a bare `--inspect`, whose PORT is optional. Before: `share server --inspect 3651` served share's
 * default port 3650 with the inspector on 3651, `queue server --inspect 55556 TCP` said it "needs <socktype>
 * after <port>", and `upper client --inspect -` said "--sentence needs a value".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCliServer } from '../test-support/processes';
import { refusedInWords } from '../test-support/one-line';

let base: string;
beforeAll(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-inspect-word-'))));
afterAll(() => rm(base, { recursive: true, force: true }));

/** The line for a number that is either the inspector's port or the command's `usage` argument. */
const eitherWay = (port: string, usage: string) =>
  `--inspect ${port}: is ${port} the inspector's port or an argument of ${usage}\\? write --inspect=${port} for the inspector's, or put --inspect after the arguments`;

it.each([
  [['queue', 'server', '--inspect', '55556', 'TCP'], eitherWay('55556', 'queue server <port> <socktype>')],
  [['share', 'server', '--inspect', '3651'], eitherWay('3651', 'share server \\[port\\]')],
  [
    ['upper', 'client', '--inspect', '-'],
    '--inspect takes a port 0\\.\\.65535, not "-" \\(for the default port, .*\\)',
  ],
  [
    ['client', '--inspect', '-', '-v', 'a'],
    '--inspect takes a port 0\\.\\.65535, not "-" \\(for the default port, .*\\)',
  ],
  // Another word at fault is still named: the `-` is not blamed for it.
  [['client', '--inspect', '-', '-v'], '-v needs a value'],
])('%j: "%s", exit 2', refusedInWords);

it.each([
  ['after the arguments', ['share', 'server', '0', '--host', '127.0.0.1', '--inspect', '0']],
  ['before the command', ['--inspect', '0', 'share', 'server', '0', '--host', '127.0.0.1']],
  ['with =, before the arguments', ['share', 'server', '--inspect=0', '0', '--host', '127.0.0.1']],
])('--inspect 0 %s: the share server on a port of its own, the inspector on another', async (_where, args) => {
  const server = await startCliServer([...args, '--root', join(base, 'files')]);
  try {
    await server.logged(/inspector on http:\/\/127\.0\.0\.1:\d+\//);
    const inspector = Number(/inspector on http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.output())?.[1]);
    expect(server.port).not.toBe(3650);
    expect(inspector).not.toBe(server.port);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});
