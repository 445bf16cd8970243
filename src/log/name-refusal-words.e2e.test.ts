/**
 * A request naming a path out of the served folder, or one the name rules refuse: the server's end line says why
 * in words (`protocol error (a name that leads out of the served folder)`), the JSON line keeps the code. Before:
 * `protocol error (name.escapes)`. Real servers and clients on loopback.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { connect } from 'node:net';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

let root: string;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-name-words-'));
  await writeFile(join(root, 'kept.txt'), 'kept\n');
  await symlink('/etc', join(root, 'etc'));
});
afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await rm(root, { recursive: true, force: true });
});

const start = async (args: string[]) => {
  const server = await startCliServer([...args, '--host', '127.0.0.1', '--root', root]);
  servers.push(server);
  return server;
};

/** `text` as a regular expression that matches it alone. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('transfer download, one server for the three names', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await start(['server', '-l', '0']);
  });

  it.each([
    ['../etc/passwd', 'a name that leads out of the served folder'],
    ['etc/passwd', 'a name that leads out of the served folder'],
    ['.kept.txt.1.wirestate-part', 'a name the server keeps for itself'],
  ])('of %s: the end line says "protocol error (%s)"', async (name, words) => {
    await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '--plain', '-v', name, '-l', '-']);
    // This name's connection, among the others the shared server has logged.
    const asked = new RegExp(`\\[(c\\d+)\\] download "${literally(name)}"`);
    await server.logged(asked);
    const id = asked.exec(server.output())![1];
    await server.logged(new RegExp(`\\[${id}\\] protocol error \\(`));
    expect(server.output()).toMatch(
      new RegExp(` warn +\\[${id}\\] protocol error \\(${literally(words)}[^\\n]*\\) in `),
    );
    expect(server.output()).not.toMatch(/name\.(escapes|reserved)/);
  });

  it('of a name that is not UTF-8: the request line shows it, each bad byte as U+FFFD, not as ""', async () => {
    const socket = connect({ port: server.port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    const request = Buffer.alloc(256);
    Buffer.concat([Buffer.from('Dnot-utf8-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]).copy(request);
    socket.end(request);
    socket.resume();
    await once(socket, 'close');
    const asked = /\[(c\d+)\] download "not-utf8-\ufffd\ufffd\.txt"/;
    await server.logged(asked);
    const id = asked.exec(server.output())![1];
    await server.logged(new RegExp(`\\[${id}\\] protocol error \\(a name that is not UTF-8\\)`));
  });
});

it('with --log-format json, the words are the message and the code stays the code', async () => {
  const server = await start(['server', '-l', '0', '--log-format', 'json']);
  await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '--plain', '-v', '../etc/passwd', '-l', '-']);
  await server.logged(/"event":"end"/);
  const end = server
    .output()
    .split('\n')
    .map((line) => (line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {}))
    .find((line) => line.event === 'end');
  expect(end).toMatchObject({ outcome: 'protocol_error', code: 'name.escapes', name: '../etc/passwd' });
  expect(end?.message).toMatch(/^protocol error \(a name that leads out of the served folder\) in /);
});

it('blocks server: a name out of the served folder is "refused (a name that leads out of the served folder)"', async () => {
  const server = await start(['blocks', 'server', '0']);
  await wirestate(['blocks', 'client', `127.0.0.1:${server.port}:../etc/passwd`, '-']);
  await server.logged(/\] refused \(/);
  expect(server.output()).toMatch(/\[c1\] refused \(a name that leads out of the served folder\) in /);
});

it.each(['pretty', 'json'])(
  'a name holding DEL or C1 (CSI) is written to the %s log as JSON escapes, which a terminal does not obey',
  async (logFormat) => {
    const server = await start(['share', 'server', '0', '--log-format', logFormat]);
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.resume().end('get,a\u009b31mred\u007f\u202egnp.exe\u2028');
    await once(socket, 'close');
    await server.logged(/get \S*a/);
    // Invisible format characters too (U+202E shows the name reversed), and line separators.
    expect(server.output()).toContain('a\\u009b31mred\\u007f\\u202egnp.exe\\u2028');
    expect(server.output()).not.toMatch(/[\u007f-\u009f\u2028\p{Cf}]/u);
  },
);
