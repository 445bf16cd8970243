/**
 * The seed README's "How to test", as written, through the npm scripts and the
 * sample messages shipped in fixtures/samples/data: three sends, then four
 * receives (the three messages in order, then the empty-queue text), over TCP
 * and over UDP. The server is bound to loopback only.
 */
import { readFileSync } from 'node:fs';
import { EXIT } from '../../src/engine/exit-codes';
import { REPO, freePort, run, startServerCommand, type ServerProcess } from '../../src/test-support/processes';

const SAMPLES = 'fixtures/samples/data';
const text = (name: string) => readFileSync(`${REPO}/${SAMPLES}/${name}`, 'utf8');
const npmRun = (...args: string[]) => run('npm', ['run', ...args], { cwd: REPO });
/** What `npm run` prints on stdout before the command's own output. */
const NPM_BANNER = /^\n> wirestate@[^\n]*\n> node [^\n]*\n\n$/;

describe.each([
  ['TCP', 'Error - no messages in queue.'],
  ['UDP', 'Error: No messages.'],
])('the seed README\'s "How to test" over %s', (socktype, emptyText) => {
  let server: ServerProcess;
  let port: string;
  beforeAll(async () => {
    port = String(await freePort());
    server = await startServerCommand(
      ['npm', 'run', 'queue:server', '--', port, socktype, '--host', '127.0.0.1'],
      true,
    );
  });
  afterAll(async () => {
    process.kill(-server.child.pid!, 'SIGTERM'); // npm, its shell and the server
    await server.exited;
  });

  const client = (...args: string[]) => npmRun('queue:client', '--', 'localhost', port, socktype, ...args);

  it('sends the three sample messages, as the original client counts them', async () => {
    expect(text('message1.txt')).toHaveLength(41);
    expect(text('message2.txt')).toHaveLength(3000);
    expect(text('message3.txt').length).toBeGreaterThan(3000);
    for (const [name, characters] of [
      ['message1.txt', 41],
      ['message2.txt', 3000],
      ['message3.txt', text('message3.txt').length],
    ] as const) {
      const sent = await client('send', `${SAMPLES}/${name}`);
      expect(sent.code).toBe(EXIT.ok);
      expect(sent.stderr.startsWith(`Sent: ${characters} bytes\n`)).toBe(true);
    }
  });

  it('receives them in the order sent, each whole with the newline the client appended, then the empty-queue text', async () => {
    for (const name of ['message1.txt', 'message2.txt', 'message3.txt']) {
      const message = `${text(name)}\n`;
      const received = await client('receive');
      expect(received.code).toBe(EXIT.ok);
      expect(received.stdout.slice(-message.length)).toBe(message);
      expect(received.stdout.slice(0, -message.length)).toMatch(NPM_BANNER);
      expect(received.stderr).toBe(`Received: ${Buffer.byteLength(message)} bytes\n`);
    }
    const empty = await client('receive');
    expect(empty.code).toBe(EXIT.refused);
    expect(empty.stderr).toBe(`Received: ${emptyText}\n`);
  });
});
