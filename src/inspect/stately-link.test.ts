/** The link to Stately's hosted inspector, against a real WebSocket server on loopback standing in for the service. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parse } from 'superjson';
import { WebSocketServer } from 'ws';
import { createActor, createMachine } from 'xstate';
import { actorEvent, sampledSnapshot } from './stately-format';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, freePort, run } from '../test-support/processes';
import { startTestServer, type TestServer } from '../test-support/servers';
import { MAX_QUEUED_MESSAGES, linkToStately } from './stately-link';

const actor = createActor(createMachine({ id: 'probe', initial: 'idle', states: { idle: {} } }));
const quiet = { onOpen: () => undefined, onError: () => undefined };

describe('the link to Stately', () => {
  it('joins a room of its own and sends each message in the service format, then closes', async () => {
    const service = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(service, 'listening');
    const joined = once(service, 'connection');
    let opened = '';
    const link = linkToStately({
      ...quiet,
      host: `127.0.0.1:${(service.address() as AddressInfo).port}`,
      onOpen: (url) => (opened = url),
    });
    const [client, request] = (await joined) as [import('ws').WebSocket, { url: string }];
    const room = /^\/party\/inspect-([0-9a-f-]{36})\?_pk=/.exec(request.url)?.[1];
    expect(room).toBeDefined();
    const message = once(client, 'message');
    link.send(actorEvent(actor, actor.sessionId));
    const [data] = (await message) as [Buffer];
    expect(parse<{ type: string; name: string }>(data.toString())).toMatchObject({
      type: '@xstate.actor',
      name: 'probe',
    });
    expect(opened).toBe(`https://stately.ai/registry/inspect/${String(room)}`);
    expect(link.unsent()).toEqual({ queued: 0, dropped: 0 });
    const closed = once(client, 'close');
    link.close();
    await closed;
    service.close();
  });

  it('keeps a bounded queue while the service cannot be reached, and sends it once it can', async () => {
    const port = await freePort();
    const errors: string[] = [];
    const link = linkToStately({
      ...quiet,
      host: `127.0.0.1:${port}`,
      retryMs: 50,
      onError: (message) => errors.push(message),
    });
    for (let i = 0; i < MAX_QUEUED_MESSAGES + 500; i++) link.send(sampledSnapshot(actor, actor.sessionId, 'probe'));
    expect(link.unsent()).toEqual({ queued: MAX_QUEUED_MESSAGES, dropped: 500 });

    const service = new WebSocketServer({ host: '127.0.0.1', port });
    const [client] = (await once(service, 'connection')) as [import('ws').WebSocket];
    let received = 0;
    await new Promise<void>((resolve) => client.on('message', () => ++received === MAX_QUEUED_MESSAGES && resolve()));
    expect(errors[0]).toMatch(/ECONNREFUSED/);
    expect(link.unsent()).toEqual({ queued: 0, dropped: 500 });
    link.close();
    service.close();
  });
});

describe('a client with --inspect-stately', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await writeFile(join(t.files.root, 'a.txt'), 'hello');
  });
  afterAll(() => t.stop());

  it('finishes its transfer and exits when Stately cannot be reached, saying what was not sent', async () => {
    const unreachable = `127.0.0.1:${await freePort()}`;
    const args = [
      CLI,
      'client',
      '-s',
      `127.0.0.1:${t.port}`,
      '-v',
      'a.txt',
      '-l',
      join(t.base, 'a.txt'),
      '--inspect-stately',
    ];
    const result = await run(process.execPath, args, {
      env: { ...process.env, WIRESTATE_STATELY_HOST: unreachable },
      timeoutMs: 15_000,
    });
    expect(result.code).toBe(EXIT.ok);
    expect(await readFile(join(t.base, 'a.txt'), 'utf8')).toBe('hello');
    expect(result.stderr).toMatch(/cannot reach Stately's inspector \(connect ECONNREFUSED/);
    expect(result.stderr).toMatch(/\d+ inspection messages never reached Stately's inspector/);
  });
});
