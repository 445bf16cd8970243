/** The queue's bounds (--max-messages, --max-queue-bytes) through the CLI: a send beyond them is refused, clearly. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';

let dir: string;
let server: ServerProcess | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wirestate-queue-limits-'));
  for (const name of ['a', 'b', 'c']) await writeFile(join(dir, `${name}.txt`), `message ${name}`);
});
afterEach(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const start = (socktype: string, ...limits: string[]) =>
  startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1', ...limits]);
const client = (socktype: string, ...args: string[]) =>
  wirestate(['queue', 'client', '127.0.0.1', String(server!.port), socktype, ...args], dir);

it('TCP: a send past --max-messages is reset (client exit 4) and logged; once a message is taken there is room again', async () => {
  server = await start('TCP', '--max-messages', '2');
  expect((await client('TCP', 'send', 'a.txt')).code).toBe(EXIT.ok);
  expect((await client('TCP', 'send', 'b.txt')).code).toBe(EXIT.ok);
  const refused = await client('TCP', 'send', 'c.txt');
  expect(refused.code).toBe(EXIT.serverError);
  expect(refused.stderr).toContain('the server did not store it');
  expect(refused.stderr).toContain(
    'it refused it (its queue full, the message over its size cap, or its store failing)',
  );
  await server.logged(/not stored \(queue full: 2 messages/);
  expect((await client('TCP', 'receive')).stdout).toBe('message a\n');
  expect((await client('TCP', 'send', 'c.txt')).code).toBe(EXIT.ok);
  expect((await client('TCP', 'receive')).stdout).toBe('message b\n');
  expect((await client('TCP', 'receive')).stdout).toBe('message c\n');
});

it('TCP: a send that would take the queue past --max-queue-bytes is refused', async () => {
  server = await start('TCP', '--max-queue-bytes', '15');
  expect((await client('TCP', 'send', 'a.txt')).code).toBe(EXIT.ok); // 10 bytes with the newline
  expect((await client('TCP', 'send', 'b.txt')).code).toBe(EXIT.serverError);
  await server.logged(/queue full: 1 messages, 10 B held/);
  expect((await client('TCP', 'receive')).stdout).toBe('message a\n');
  expect((await client('TCP', 'receive')).code).toBe(EXIT.refused);
});

it.each(['TCP', 'UDP'] as const)(
  "%s: a message over the client's --max-size is a local limit (exit 7), nothing written, the message said lost",
  async (transport) => {
    server = await start(transport);
    expect((await client(transport, 'send', 'a.txt')).code).toBe(EXIT.ok);
    expect(await client(transport, 'receive', '--max-size', '4', 'out.txt')).toEqual({
      code: EXIT.localFile,
      stdout: '',
      stderr:
        'wirestate queue client: took a message of more than 4 bytes from the queue, over --max-size 4, and kept none ' +
        'of it; the message is lost: it is no longer in the queue\n',
    });
    expect(await readdir(dir)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    // What the line says: the server handed it out, and has it no more.
    expect((await client(transport, 'receive')).code).toBe(EXIT.refused);
    // --json says so too: the object's detail, not the old 'reply over 4 bytes (--max-size)'. Its words are the same
    // for both transports (one code path, after the session): TCP says them.
    if (transport === 'UDP') return;
    expect((await client(transport, 'send', 'a.txt')).code).toBe(EXIT.ok);
    const json = JSON.parse((await client(transport, 'receive', '--max-size', '4', '--json')).stdout) as {
      detail: string;
    };
    expect(json.detail).toBe('message over 4 bytes (--max-size): taken from the queue, kept by no one, lost');
  },
);

it('UDP: a datagram past --max-messages is not queued and the refusal is logged', async () => {
  server = await start('UDP', '--max-messages', '1');
  expect((await client('UDP', 'send', 'a.txt')).code).toBe(EXIT.ok);
  expect((await client('UDP', 'send', 'b.txt')).code).toBe(EXIT.ok); // UDP has no acknowledgement
  await server.logged(/send of 10 B refused: queue full/);
  expect((await client('UDP', 'receive')).stdout).toBe('message a\n');
  expect((await client('UDP', 'receive')).code).toBe(EXIT.refused);
});

it('refuses limits that are not whole numbers of at least 1', async () => {
  for (const option of ['--max-messages', '--max-queue-bytes']) {
    expect(await wirestate(['queue', 'server', '0', 'TCP', option, '0'])).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringContaining(`${option} must be a whole number`),
    });
  }
});
