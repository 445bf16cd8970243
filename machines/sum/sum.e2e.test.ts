/** The lab's second exercise over real loopback sockets, through the CLI: the sum, the prompts, and stopping the server. */
import { connect } from 'node:net';
import { once } from 'node:events';
import { EXIT } from '../../src/engine/exit-codes';
import { startCliServer, wirestate, wirestateInTerminal, type ServerProcess } from '../../src/test-support/processes';
import { withAnsweringServer } from '../../src/test-support/answering-server';

const startServer = () =>
  startCliServer(['sum', 'server', '0', '--host', '127.0.0.1', '--name', 'Server of John Q. Smith', '--number', '17']);
const clientOf =
  (server: ServerProcess) =>
  (...args: string[]) =>
    wirestate(['sum', 'client', '--port', String(server.port), ...args]);
const ANSWER =
  'Client name: Alice\nServer name: Server of John Q. Smith\nClient number: 42\nServer number: 17\nSum: 59\n';

describe('one server for the tests that leave it running', () => {
  let server: ServerProcess;
  beforeAll(async () => (server = await startServer()));
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  const client = (...args: string[]) => clientOf(server)(...args);

  it('shows both names, both numbers and the sum, on the client and on the server', async () => {
    expect(await client('Alice', '42')).toMatchObject({ code: EXIT.ok, stdout: ANSWER });
    await server.logged(/client "Alice", server "Server of John Q\. Smith": 42 \+ 17 = 59/);
  });

  // As the upper and ardei clients take them: `sum client -- -bob 5` said "no input".
  it('takes the words after -- as the name and the number, a name that starts with - too', async () => {
    expect(await client('--', '-bob', '5')).toEqual({
      code: EXIT.ok,
      stdout: 'Client name: -bob\nServer name: Server of John Q. Smith\nClient number: 5\nServer number: 17\nSum: 22\n',
      stderr: '',
    });
    expect(await client('Alice', '--', '42')).toMatchObject({ code: EXIT.ok, stdout: ANSWER });
    expect(await client('--', 'Alice', '42', 'extra')).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: "wirestate sum client: unexpected argument 'extra'; see --help\n",
    });
  });

  it('asks for the name and the number on a terminal', async () => {
    const shown = await wirestateInTerminal(['sum', 'client', '--port', String(server.port)], 'Alice\n42\n');
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toMatch(/Name: .*Integer between 1 and 100: /s);
    expect(shown.stdout).toContain(ANSWER);
  });

  it('refuses text that is not a number without stopping, and the client checks it before connecting', async () => {
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.end('Mallory\nlots\n');
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    await once(socket, 'close');
    expect(reply).toBe('ERR the number must be an integer from 1 to 100\n');
    expect(await client('Alice', 'lots')).toMatchObject({
      code: EXIT.usage,
      stderr: 'wirestate sum client: not a whole number: "lots"; see --help\n',
    });
    expect((await client('Alice', '42')).code).toBe(EXIT.ok);
  });

  // Each client is a process (~0.4 s CPU to start): 5 at once overlap on the server as 20 did, at a quarter of the cost.
  it('answers 5 clients at once', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => client(`client ${i}`, String(i + 1))));
    results.forEach((result, i) => expect(result.stdout).toContain(`Sum: ${i + 1 + 17}\n`));
  });
});

it('stops the server, releasing its port, when a number is out of range', async () => {
  const server = await startServer();
  const client = clientOf(server);
  try {
    const result = await client('Eve', '0');
    expect(result.code).toBe(EXIT.refused);
    expect(result.stderr).toBe(
      'wirestate sum client: refused by the server: 0 is not an integer from 1 to 100; the server stops\n',
    );
    expect(await server.exited).toBe(0);
    expect((await client('Alice', '42')).code).toBe(EXIT.cannotConnect);
  } finally {
    server.child.kill('SIGTERM'); // gone already, unless a step above failed
    await server.exited;
  }
});

it("prints the server's name with its control characters shown, not obeyed by the terminal", async () => {
  const result = await withAnsweringServer('\x1b]0;pwn\x07Mallory\n5\n', (port) =>
    wirestate(['sum', 'client', '--port', String(port), 'Alice', '42']),
  );
  expect(result).toMatchObject({
    code: EXIT.ok,
    stdout: expect.stringContaining('Server name: \\x1b]0;pwn\\x07Mallory\n'),
  });
  expect(result.stdout).not.toContain('\x1b');
});
