/** A UDP peer whose machine fails: it finishes like any other, so the server can still shut down. */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { setup } from 'xstate';
import { DatagramReader } from '../engine/datagram-reader';
import { READING_TAG, type StreamProtocol } from '../engine/protocol';
import { capturingLogger } from '../test-support/logs';
import { startUdpServer } from './udp-server';

type Datagram = { type: 'frame.datagram' };

/** Throws on the first datagram. */
const failing = setup({ types: { events: {} as Datagram }, actions: { boom: () => { throw new Error('boom'); } } }).createMachine({
  initial: 'waiting',
  states: { waiting: { tags: READING_TAG, on: { 'frame.datagram': { actions: 'boom' } } } },
});

const protocol: StreamProtocol = { name: 'failing', accept: () => ({ logic: failing, input: undefined, decoder: new DatagramReader<Datagram>(() => ({ type: 'frame.datagram' })) }) };

it('finishes the peer (aborted) and lets close() end', async () => {
  const server = await startUdpServer({ host: '127.0.0.1', port: 0, protocol, log: capturingLogger([]), idleMs: 60_000 });
  const finished = new Promise((resolve) => server.onFinished((_, outcome) => resolve(outcome)));
  const client = createSocket('udp4');
  client.bind(0, '127.0.0.3');
  await once(client, 'listening');
  client.send('x', server.address.port, '127.0.0.1');
  expect(await finished).toMatchObject({ ok: false, outcome: 'aborted' });
  await server.close();
  client.close();
});
