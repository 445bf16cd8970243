/** The lab's first exercise over real loopback sockets, through the CLI, as the slides run it. */
import { connect } from 'node:net';
import { once } from 'node:events';
import { EXIT } from '../../src/engine/exit-codes';
import {
  run,
  startCliServer,
  wirestate,
  wirestateInTerminal,
  CLI,
  type ServerProcess,
} from '../../src/test-support/processes';
import { withAnsweringServer } from '../../src/test-support/answering-server';

let server: ServerProcess;
beforeAll(async () => (server = await startCliServer(['upper', 'server', '0', '--host', '127.0.0.1'])));
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const client = (...args: string[]) => wirestate(['upper', 'client', '--port', String(server.port), ...args]);

it('prompts on a terminal and prints the answer, as the slides show', async () => {
  const shown = await wirestateInTerminal(['upper', 'client', '--port', String(server.port)], 'Hello World!\n');
  expect(shown.code).toBe(EXIT.ok);
  expect(shown.stdout).toContain('Input lowercase sequence: ');
  expect(shown.stdout).toContain('Message received: HELLO WORLD!\n');
  await server.logged(/data from the client: "Hello World!"/);
});

it('takes the sentence from its arguments or from piped stdin, without a prompt', async () => {
  expect(await client('straße', 'and', 'more')).toMatchObject({
    code: EXIT.ok,
    stdout: 'Message received: STRASSE AND MORE\n',
  });
  const piped = await run('sh', [
    '-c',
    `printf 'piped line\\nignored\\n' | "${process.execPath}" "${CLI}" upper client --port ${server.port}`,
  ]);
  expect(piped).toMatchObject({ code: EXIT.ok, stdout: 'Message received: PIPED LINE\n' });
  expect(
    (await run('sh', ['-c', `"${process.execPath}" "${CLI}" upper client --port ${server.port} < /dev/null`])).code,
  ).toBe(EXIT.usage);
});

it('answers a client that keeps its side open and sends no newline, like the original, after the quiet period', async () => {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  await once(socket, 'connect');
  socket.write('read once');
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
  await once(socket, 'end');
  socket.destroy();
  expect(reply).toBe('READ ONCE');
});

/** A line sent over a raw loopback socket, as the seed's clients send it: what the server says before it closes. */
async function rawAsk(line: string): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
  await once(socket, 'connect');
  socket.write(`${line}\n`);
  await once(socket, 'end');
  socket.destroy();
  return reply;
}

// The server's concurrency is the point: 30 connections at once. A process per client costs ~0.4 s CPU and the CLI
// client's own output is covered above, so 5 of them are CLI clients and 25 raw sockets, all at the same time.
it('answers 30 clients at once, each its own line', async () => {
  const [cli, raw] = await Promise.all([
    Promise.all(Array.from({ length: 5 }, (_, i) => client(`client number ${i}`))),
    Promise.all(Array.from({ length: 25 }, (_, i) => rawAsk(`client number ${i + 5}`))),
  ]);
  cli.forEach((result, i) =>
    expect(result).toMatchObject({ code: EXIT.ok, stdout: `Message received: CLIENT NUMBER ${i}\n` }),
  );
  expect(raw).toEqual(Array.from({ length: 25 }, (_, i) => `CLIENT NUMBER ${i + 5}`));
});

it('says clearly when no server listens', async () => {
  const result = await wirestate(['upper', 'client', '--port', '1', 'x']);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toMatch(
    /cannot connect to 127\.0\.0\.1:1: connection refused \(nothing listens there\) \(ECONNREFUSED\)/,
  );
});

it("prints a server's reply with its control characters shown, not obeyed by the terminal", async () => {
  const result = await withAnsweringServer('\x1b]0;pwn\x07\x1b[2K\rFAKE\n', (port) =>
    wirestate(['upper', 'client', '--port', String(port), 'hello']),
  );
  expect(result.stdout).toContain('Message received: \\x1b]0;pwn\\x07\\x1b[2K\\x0dFAKE');
  expect(result.stdout).not.toContain('\x1b');
});

it('sends the words after -- too: a sentence may start with "-"', async () => {
  expect((await client('--', '-n', 'hello')).stdout).toBe('Message received: -N HELLO\n');
  expect((await client('hello', '--', '-x')).stdout).toBe('Message received: HELLO -X\n');
});
