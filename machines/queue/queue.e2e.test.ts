/**
 * The queue over real loopback sockets, TCP and UDP: the seed README's session
 * through the CLI, many clients at once, a restart with a journal, and both
 * directions against a stand-in for the original programs.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { EXIT } from '../../src/cli/exit-codes';
import { runConnection } from '../../src/loop/connection';
import type { ListeningServer } from '../../src/loop/listening-server';
import { connectTcp } from '../../src/loop/tcp-connect';
import { startTcpServer } from '../../src/loop/tcp-server';
import { runUdpClient } from '../../src/loop/udp-connect';
import { startUdpServer } from '../../src/loop/udp-server';
import { REPO, freePort, run, startCliServer, wirestate, type ServerProcess } from '../../src/test-support/processes';
import { queueClient, queueServer, type Transport } from '.';
import { MessageQueue } from './message-queue';

const PEER = join(REPO, 'fixtures', 'peers', 'queue_seed_peer.py');
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
const MESSAGE_ONE = 'This is message one. I am 41 characters.\n';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'wirestate-queue-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe.each(['TCP', 'UDP'])('over %s', (socktype) => {
  const transport = socktype.toLowerCase() as Transport;
  let server: ServerProcess;
  afterEach(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  const client = (...args: string[]) => wirestate(['queue', 'client', '127.0.0.1', String(server.port), socktype, ...args], dir);

  it("runs the seed README's session: sends, receives in order, then the empty-queue error", async () => {
    server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1']);
    await writeFile(join(dir, 'message1.txt'), MESSAGE_ONE);
    await writeFile(join(dir, 'message2.txt'), 'Hello server, this is message two... '.padEnd(3000, '.'));
    expect(await client('send', 'message1.txt')).toMatchObject({ code: EXIT.ok, stderr: 'Sent: 41 bytes\n' });
    expect((await client('send', 'message2.txt')).stderr).toBe('Sent: 3000 bytes\n');
    expect(await client('receive')).toMatchObject({ code: EXIT.ok, stdout: MESSAGE_ONE, stderr: 'Received: 41 bytes\n' });
    await client('receive', 'got.txt');
    expect((await readFile(join(dir, 'got.txt'), 'utf8')).length).toBe(3000);
    const empty = await client('receive');
    expect(empty.code).toBe(EXIT.refused);
    expect(empty.stderr).toBe(`Received: ${socktype === 'TCP' ? 'Error - no messages in queue.' : 'Error: No messages.'}\n`);
  });

  it('refuses a message over --max-size and says so, keeping nothing', async () => {
    server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1', '--max-size', '100']);
    await writeFile(join(dir, 'big.txt'), 'x'.repeat(101));
    const sent = await client('send', 'big.txt');
    if (transport === 'tcp') expect(sent.code).toBe(EXIT.serverError); // UDP has no reply to say it
    await server.logged(/refused/);
    expect((await client('receive')).code).toBe(EXIT.refused);
  });

  it('keeps the queue across a restart with --journal', async () => {
    const journal = join(dir, 'queue.journal');
    server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1', '--journal', journal]);
    for (const text of ['first', 'second', 'third']) {
      await writeFile(join(dir, 'm.txt'), text);
      await client('send', 'm.txt');
    }
    expect((await client('receive')).stdout).toBe('first');
    server.child.kill('SIGTERM');
    await server.exited;
    server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1', '--journal', journal]);
    await server.logged(/2 message\(s\) waiting/);
    expect((await client('receive')).stdout).toBe('second');
    expect((await client('receive')).stdout).toBe('third');
  });
});

describe.each(['tcp', 'udp'] as Transport[])('many clients at once over %s', (transport) => {
  it('every message is received exactly once, and the extra receivers hear the queue is empty', async () => {
    const queue = new MessageQueue();
    const common = { host: '127.0.0.1', port: 0, protocol: queueServer(queue, transport, { maxMessage: 3000 }), log: silent };
    const server: ListeningServer = transport === 'tcp' ? await startTcpServer(common) : await startUdpServer({ ...common, idleMs: 200 });
    const session = async (mode: 'send' | 'receive', message?: Buffer) => {
      const spec = queueClient(transport, { mode, maxMessage: 3000, idleTimeoutMs: 5000 }, message);
      let received = Buffer.alloc(0);
      const watch = (actor: import('xstate').AnyActorRef) => void actor.subscribe((snapshot) => (received = snapshot.context.message));
      const outcome =
        transport === 'tcp'
          ? await runConnection(await connectTcp('127.0.0.1', server.address.port), spec, { id: 'c', log: silent, watch }).finished
          : await runUdpClient('127.0.0.1', server.address.port, spec, { log: silent, watch });
      return { outcome: outcome.outcome, text: received.toString() };
    };
    const messages = Array.from({ length: 50 }, (_, i) => `message ${i} ${'·'.repeat(i)}`);
    const sent = await Promise.all(messages.map((text) => session('send', Buffer.from(text))));
    expect(sent.every((result) => result.outcome === 'sent')).toBe(true);
    const received = await Promise.all(Array.from({ length: 55 }, () => session('receive')));
    const texts = received.filter((result) => result.outcome === 'received').map((result) => result.text);
    expect(texts.sort()).toEqual([...messages].sort());
    expect(received.filter((result) => result.outcome === 'queue_empty')).toHaveLength(5);
    await server.close();
  });
});

describe('interop with programs that read like the originals', () => {
  const startPeer = async (transport: Transport) => {
    const port = await freePort();
    const peer = spawn('python3', [PEER, 'serve', String(port), transport], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(peer.stdout!, 'data');
    return { peer, port };
  };

  it.each(['tcp', 'udp'] as Transport[])('the wirestate client sends to and receives from an original-style server (%s)', async (transport) => {
    const { peer, port } = await startPeer(transport);
    try {
      await writeFile(join(dir, 'm.txt'), MESSAGE_ONE);
      const client = (...args: string[]) => wirestate(['queue', 'client', '127.0.0.1', String(port), transport.toUpperCase(), ...args], dir);
      expect((await client('send', 'm.txt')).code).toBe(EXIT.ok);
      expect(await client('receive')).toMatchObject({ code: EXIT.ok, stdout: MESSAGE_ONE });
      expect((await client('receive')).code).toBe(EXIT.refused);
    } finally {
      peer.kill();
    }
  });

  it.each(['TCP', 'UDP'])('an original-style client sends to and receives from the wirestate server (%s)', async (socktype) => {
    const server = await startCliServer(['queue', 'server', '0', socktype, '--host', '127.0.0.1']);
    try {
      await writeFile(join(dir, 'm.txt'), 'This is message one. I am 41 characters.');
      const peer = (...args: string[]) => run('python3', [PEER, ...args.slice(0, 1), '127.0.0.1', String(server.port), socktype.toLowerCase(), ...args.slice(1)], { cwd: dir });
      expect((await peer('send', 'm.txt')).stdout).toBe('Sent: 41 bytes\n');
      expect((await peer('receive')).stdout).toBe(MESSAGE_ONE);
      expect((await peer('receive')).stdout).toBe(socktype === 'TCP' ? 'Error - no messages in queue.' : 'Error: No messages.');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
