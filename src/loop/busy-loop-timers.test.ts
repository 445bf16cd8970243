/**
 * A server whose event loop was busy for longer than a machine's timer fires that timer only after reading what
 * came meanwhile: a share request sent in two writes 0 ms apart, the second arriving while the server was busy
 * past its quiet period, is the whole request, not its first half (the stranger saw `get,` taken alone on a
 * loaded server). Real loopback sockets, a real share server in this process, a real busy loop.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyActorRef } from 'xstate';
import { shareServer } from '../../machines/share';
import { openServedFolder } from '../cli/served-folder';
import { capturingLogger } from '../test-support/logs';
import { startTcpServer } from './tcp-server';

const QUIET_MS = 200;

it('reads the bytes that came while the loop was busy before a quiet period ends the request', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wirestate-busy-loop-'));
  await writeFile(join(root, 'a.txt'), 'the file a\n');
  let actor: AnyActorRef | undefined;
  const server = await startTcpServer({
    host: '127.0.0.1',
    port: 0,
    protocol: shareServer(await openServedFolder(root), { quietMs: QUIET_MS, maxRequest: 2048, passGapMs: 0 }),
    log: capturingLogger([]),
    watch: (_, watched) => (actor = watched),
  });
  try {
    const client = connect(server.address.port, '127.0.0.1');
    client.on('error', () => undefined);
    const reply: Buffer[] = [];
    client.on('data', (chunk: Buffer) => reply.push(chunk));
    await once(client, 'connect');
    client.write('get,');
    // The server has read the first half: its quiet period runs from here.
    const started = () =>
      (actor?.getSnapshot() as { context?: { request?: { size: number } } })?.context?.request?.size;
    for (let tries = 0; tries < 200 && !started(); tries++) await sleep(5);
    expect(started()).toBe(4);
    // Busy in an I/O callback, as a server is with other connections' bytes: the second half leaves at once (a
    // socket write goes straight to the kernel), then the loop is busy past the quiet period; when it next looks,
    // the timer is due, and timers come before the loop polls the socket again.
    const busy = createServer((socket) =>
      socket.once('data', () => {
        client.write('a.txt');
        const until = performance.now() + 2 * QUIET_MS;
        while (performance.now() < until);
        socket.destroy();
      }),
    ).listen(0, '127.0.0.1');
    await once(busy, 'listening');
    connect((busy.address() as AddressInfo).port, '127.0.0.1').end('x');
    await once(client, 'close');
    busy.close();
    expect(Buffer.concat(reply).toString()).toBe('passthe file a\n');
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
