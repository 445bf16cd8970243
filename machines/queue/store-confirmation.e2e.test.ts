/**
 * A queue server killed after the last byte of a send and before it stored the message: its kernel
 * closes the connection cleanly, which the seed's protocol cannot tell from success. Between a server
 * run with --offer-confirmation and a client sending with --confirm, the client waits for the server's
 * `<<stored>>` and does not exit 0 without it. The window is widened for the test by the server's
 * enqueue delay (delayed-enqueue.ts). Both flags are opt-in: by default the server never speaks first,
 * since an original client delayed by the network past the silence would read the offer.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/engine/exit-codes';
import { COMMIT_DELAY_VARIABLE } from '../../src/storage/delayed-commits';
import { connect } from 'node:net';
import { OFFER_TOKEN } from './store-confirmation';
import { CLI, startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';

const DEFAULT_SERVER = ['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '-d'];
const QUEUE_SERVER = [...DEFAULT_SERVER, '--offer-confirmation'];

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-queue-stored-'));
  await writeFile(join(base, 'message.txt'), 'kept or not\n');
});
afterEach(() => rm(base, { recursive: true, force: true }));

/**
 * A queue server started with `args` for each test of the describe, or once for them all (`each` false: each test
 * leaves its queue empty); SIGKILLed after.
 */
function serverFor(args: string[], each: boolean, wrapper: string[] = []): () => ServerProcess {
  let server: ServerProcess;
  (each ? beforeEach : beforeAll)(async () => (server = await startCliServer(args, wrapper)));
  (each ? afterEach : afterAll)(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  return () => server;
}

/** Sends message.txt, SIGKILLs the server once it is storing it, and returns how the client ended. */
async function sendAndKillBeforeStore(server: ServerProcess, ...flags: string[]) {
  const client = spawn(
    process.execPath,
    [CLI, 'queue', 'client', '127.0.0.1', String(server.port), 'TCP', 'send', 'message.txt', ...flags],
    { cwd: base, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
  );
  let stderr = '';
  client.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(client, 'exit');
  await server.logged(/state enqueue/);
  server.child.kill('SIGKILL');
  const [code] = (await exited) as [number | null];
  return { code, stderr };
}

describe('a server with --offer-confirmation killed before it stores', () => {
  // Stores begin 20 s after the last byte: the kill below lands in that window, however slow the machine.
  const server = serverFor(QUEUE_SERVER, true, ['env', `${COMMIT_DELAY_VARIABLE}=20000`]);

  it('with --confirm the client does not exit 0 when the server dies between the last byte and the store', async () => {
    const { code, stderr } = await sendAndKillBeforeStore(server(), '--confirm');
    expect(code).toBe(EXIT.serverError);
    expect(stderr).toContain('the server offered to confirm storing and closed without confirming');
  });

  it('without --confirm the same kill reads as success: the gap the seed protocol leaves', async () => {
    const { code, stderr } = await sendAndKillBeforeStore(server());
    expect(code).toBe(EXIT.ok);
    expect(stderr).not.toContain('wait_offer');
  });
});

/** Opens a connection, says nothing for `silentMs`, and returns every byte the server wrote meanwhile. */
async function heardWhileSilent(port: number, silentMs: number): Promise<Buffer> {
  const socket = connect(port, '127.0.0.1');
  const heard: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => heard.push(chunk));
  await once(socket, 'connect');
  await new Promise((resolve) => setTimeout(resolve, silentMs));
  socket.destroy();
  return Buffer.concat(heard);
}

describe('a server with --offer-confirmation', () => {
  const server = serverFor(QUEUE_SERVER, false);

  it('a message the server lives to store is confirmed, exits 0, and is there to receive', async () => {
    const client = ['queue', 'client', '127.0.0.1', String(server().port), 'TCP'];
    const sent = await wirestate([...client, 'send', 'message.txt', '-d', '--confirm'], base);
    expect(sent.code).toBe(EXIT.ok);
    expect(sent.stderr).toMatch(/state wait_offer[\s\S]*state send_confirmed_message[\s\S]*state wait_stored_reply/);
    expect(sent.stderr).toContain('stored: the server confirmed it');
    const received = await wirestate([...client, 'receive'], base);
    expect(received.stdout).toBe('kept or not\n\n'); // the file plus the newline the seed's client adds
  });

  it('a client slow to speak that ignores the offer and sends plainly is served as the seed: stored, no reply', async () => {
    const socket = connect(server().port, '127.0.0.1');
    const heard: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      heard.push(chunk);
      // The offer is whole: answer it the way an original client would, by not reading it and sending a message.
      if (Buffer.concat(heard).equals(OFFER_TOKEN)) socket.end('plain after the offer\n');
    });
    await once(socket, 'close');
    expect(Buffer.concat(heard)).toEqual(OFFER_TOKEN);
    const received = await wirestate(['queue', 'client', '127.0.0.1', String(server().port), 'TCP', 'receive'], base);
    expect(received.stdout).toBe('plain after the offer\n');
  });

  it('offers to a connection silent for 1 s', async () => {
    expect(await heardWhileSilent(server().port, 1000)).toEqual(OFFER_TOKEN);
  });
});

describe('a default server (no --offer-confirmation)', () => {
  const server = serverFor(DEFAULT_SERVER, false);

  it('writes nothing to a connection silent for 1 s, as the seed', async () => {
    expect(await heardWhileSilent(server().port, 1000)).toEqual(Buffer.alloc(0));
  });

  it('--confirm against it hears no offer, sends plainly after 1 s, says so, and the message is kept', async () => {
    const client = ['queue', 'client', '127.0.0.1', String(server().port), 'TCP'];
    const sent = await wirestate([...client, 'send', 'message.txt', '--confirm'], base);
    expect(sent.code).toBe(EXIT.ok);
    expect(sent.stderr).toContain('no offer to confirm storing within 1 s');
    expect((await wirestate([...client, 'receive'], base)).stdout).toBe('kept or not\n\n');
  });
});
