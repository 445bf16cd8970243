/**
 * A socket that reads into lent memory reads ahead while its machine works (to see the peer's FIN), but
 * not while the machine waits for its disk: a flow-control state. That read would be a whole lent buffer
 * the decoder then copies, each time the disk is busy. Real loopback sockets, a tiny line protocol.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setup } from 'xstate';
import { FLOW_CONTROL_TAG, READING_TAG, type WireEvent } from '../engine/protocol';
import { LineReader, type Line } from '../test-support/line-reader';
import { capturingLogger } from '../test-support/logs';
import { runConnection, type RunningConnection } from './connection';
import { lendReads } from './lent-server-socket';

/** Reads one line, then waits in `state` (tagged `tags`) until told `go`, then counts lines until the peer ends. */
const waiter = (tags: string[]) =>
  setup({ types: { events: {} as Line | WireEvent | { type: 'go' }, context: {} as { lines: number } } }).createMachine(
    {
      context: { lines: 0 },
      initial: 'first',
      states: {
        first: { tags: READING_TAG, on: { 'frame.line': 'waiting' } },
        waiting: { tags, on: { go: 'counting' } },
        counting: {
          tags: READING_TAG,
          on: {
            'frame.line': { actions: ({ context }) => context.lines++ },
            'socket.end': 'done',
          },
        },
        done: { type: 'final' },
      },
      output: ({ context }) => ({ ok: true, outcome: 'counted', bytes: context.lines }),
    },
  );

interface Bench {
  server: Server;
  port: number;
  accepted: Promise<{ socket: Socket; connection: RunningConnection }>;
}

async function bench(tags: string[]): Promise<Bench> {
  let resolve: (value: { socket: Socket; connection: RunningConnection }) => void = () => undefined;
  const accepted = new Promise<{ socket: Socket; connection: RunningConnection }>((done) => (resolve = done));
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    const reads = lendReads(socket);
    const spec = { logic: waiter(tags), input: undefined, decoder: new LineReader() };
    resolve({ socket, connection: runConnection(socket, spec, { id: 'c1', log: capturingLogger([]), reads }) });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

const LINES = 20_000;
const body = Buffer.from('x'.repeat(49) + '\n')
  .toString()
  .repeat(LINES);

/** Sends a first line, then, once the machine waits, LINES more lines; what the server had read 200 ms later. */
async function readWhileWaiting(tags: string[]): Promise<{ readWhileWaiting: number; lines: number }> {
  const { server, port, accepted } = await bench(tags);
  try {
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    await once(client, 'connect');
    client.write('first\n');
    const { socket, connection } = await accepted;
    while (JSON.stringify(connection.actor.getSnapshot().value) !== '"waiting"')
      await new Promise((r) => setTimeout(r, 5));
    const before = socket.bytesRead;
    client.end(body);
    await new Promise((r) => setTimeout(r, 200));
    const readWhileWaiting = socket.bytesRead - before;
    connection.actor.send({ type: 'go' });
    const outcome = await connection.finished;
    client.destroy();
    return { readWhileWaiting, lines: outcome.bytes };
  } finally {
    server.close();
  }
}

describe('reading ahead into lent memory', () => {
  it('stops while the machine waits for its disk, and every byte still arrives after', async () => {
    const result = await readWhileWaiting([FLOW_CONTROL_TAG]);
    expect(result.readWhileWaiting).toBe(0);
    expect(result.lines).toBe(LINES);
  });

  it('goes on while the machine works on something else, as far as the high-water mark', async () => {
    const result = await readWhileWaiting([]);
    expect(result.readWhileWaiting).toBeGreaterThan(0);
    expect(result.lines).toBe(LINES);
  });
});
