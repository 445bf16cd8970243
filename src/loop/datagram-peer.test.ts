/** A UDP peer's machine that fails finishes like any other; one that stops reading has its waiting datagrams bounded. */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { setup } from 'xstate';
import { DatagramReader } from '../engine/datagram-reader';
import { READING_TAG, type StreamProtocol, type WireEvent } from '../engine/protocol';
import { capturingLogger } from '../test-support/logs';
import { DEFAULT_LOOP_OPTIONS } from './loop-options';
import { startUdpServer } from './udp-server';

interface Datagram {
  type: 'frame.datagram';
}

/** Throws on the first datagram. */
const failing = setup({
  types: { events: {} as Datagram },
  actions: {
    boom: () => {
      throw new Error('boom');
    },
  },
}).createMachine({
  initial: 'waiting',
  states: { waiting: { tags: READING_TAG, on: { 'frame.datagram': { actions: 'boom' } } } },
});

const protocol: StreamProtocol = {
  name: 'failing',
  accept: () => ({
    logic: failing,
    input: undefined,
    decoder: new DatagramReader<Datagram>(() => ({ type: 'frame.datagram' })),
  }),
};

it('finishes the peer (aborted) and lets close() end', async () => {
  const server = await startUdpServer({
    host: '127.0.0.1',
    port: 0,
    protocol,
    log: capturingLogger([]),
    idleMs: 60_000,
  });
  const finished = new Promise((resolve) => server.onFinished((_, outcome) => resolve(outcome)));
  const client = createSocket('udp4');
  client.bind(0, '127.0.0.3');
  await once(client, 'listening');
  client.send('x', server.address.port, '127.0.0.1');
  expect(await finished).toMatchObject({ ok: false, outcome: 'aborted' });
  await server.close();
  client.close();
});

describe('maxQueuedDatagramBytes', () => {
  /** Reads one datagram, then nothing more until the server closes. */
  const holding = setup({ types: { events: {} as Datagram | WireEvent } }).createMachine({
    initial: 'waiting',
    states: {
      waiting: { tags: READING_TAG, on: { 'frame.datagram': 'holding' } },
      holding: { on: { 'socket.error': 'closed' } },
      closed: { type: 'final' },
    },
    output: () => ({ ok: false, outcome: 'closed', bytes: 0 }),
  });
  const holds: StreamProtocol = {
    name: 'holding',
    accept: () => ({
      logic: holding,
      input: undefined,
      decoder: new DatagramReader<Datagram>(() => ({ type: 'frame.datagram' })),
    }),
  };

  it('drops, and logs, the datagrams past that many bytes waiting for a machine that does not read', async () => {
    const lines: string[] = [];
    let dropped: () => void;
    const twoDropped = new Promise<void>((resolve) => (dropped = resolve));
    const log = capturingLogger(
      lines,
      () => lines.filter((line) => line.includes('dropped a datagram')).length === 2 && dropped(),
    );
    const server = await startUdpServer({
      host: '127.0.0.1',
      port: 0,
      protocol: holds,
      log,
      idleMs: 60_000,
      loop: { ...DEFAULT_LOOP_OPTIONS, maxQueuedDatagramBytes: 250 },
    });
    const client = createSocket('udp4');
    client.bind(0, '127.0.0.1');
    await once(client, 'listening');
    // The first is read; the next two wait (200 bytes); the last two would pass 250 and are dropped.
    for (let n = 0; n < 5; n++) client.send(Buffer.alloc(100, n), server.address.port, '127.0.0.1');
    await twoDropped;
    expect(lines.filter((line) => line.includes('dropped a datagram'))).toEqual([
      expect.stringMatching(/^warn - dropped a datagram from 127\.0\.0\.1:\d+: too many waiting$/),
      expect.stringMatching(/^warn - dropped a datagram from 127\.0\.0\.1:\d+: too many waiting$/),
    ]);
    await server.close();
    client.close();
  });
});
