/**
 * The loop knows no protocol: these tests run it with a tiny line-echo protocol
 * defined here, over real loopback sockets.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { emit, fromPromise, setup } from 'xstate';
import type { SessionActor } from '../engine/session-actor';
import { READING_TAG, type StreamProtocol, type WireCommand, type WireEvent } from '../engine/protocol';
import { LineReader, type Line } from '../test-support/line-reader';
import { capturingLogger } from '../test-support/logs';
import { startTcpServer, type TcpServer } from './tcp-server';

/** Echoes each line upper-cased, reading the next only once the reply has left; "boom" throws; "bye" ends. */
const echoMachine = setup({
  types: { events: {} as Line | WireEvent, emitted: {} as WireCommand },
  actions: {
    reply: emit((_, params: { text: string }) => ({
      type: 'wire.write' as const,
      bytes: Buffer.from(`${params.text.toUpperCase()}\n`),
    })),
    flush: emit({ type: 'wire.flush' as const }),
    end: emit({ type: 'wire.end' as const }),
    explode: () => {
      throw new Error('boom requested');
    },
  },
}).createMachine({
  initial: 'listening',
  states: {
    listening: {
      tags: READING_TAG,
      on: {
        'frame.line': [
          { guard: ({ event }) => event.text === 'bye', target: 'done' },
          { guard: ({ event }) => event.text === 'boom', actions: 'explode' },
          { target: 'replying', actions: [{ type: 'reply', params: ({ event }) => ({ text: event.text }) }, 'flush'] },
        ],
        'socket.end': 'done',
      },
    },
    replying: { on: { 'wire.flushed': 'listening' } },
    done: { type: 'final', entry: 'end' },
  },
  output: () => ({ ok: true, outcome: 'echoed', bytes: 0 }),
});

const echo: StreamProtocol = {
  name: 'echo',
  accept: () => ({ logic: echoMachine, input: undefined, decoder: new LineReader() }),
};

let server: TcpServer;
let capture: { lines: string[] };
beforeEach(async () => {
  capture = { lines: [] };
  const log = capturingLogger(capture.lines);
  server = await startTcpServer({ host: '127.0.0.1', port: 0, protocol: echo, log });
});
afterEach(() => server.close());

async function converse(send: string): Promise<string> {
  const socket: Socket = connect(server.address.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.end(send);
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
  await once(socket, 'close');
  return reply;
}

describe('the loop with a protocol it knows nothing about', () => {
  it('holds pipelined frames until the machine reads again, in order', async () => {
    expect(await converse('one\ntwo\nthree\nbye\n')).toBe('ONE\nTWO\nTHREE\n');
  });

  it('delivers end of stream only after every frame before it', async () => {
    expect(await converse('last words\n')).toBe('LAST WORDS\n');
  });

  it('an actor error closes that connection, is logged with its id, and the server keeps serving', async () => {
    expect(await converse('fine\nboom\n')).toBe('FINE\n');
    expect(capture.lines).toContainEqual(expect.stringMatching(/^error c\d+ machine failed: boom requested/));
    expect(await converse('still here\nbye\n')).toBe('STILL HERE\n');
  });

  it('logs every state transition at debug level', async () => {
    await converse('x\nbye\n');
    const states = capture.lines.filter((line) => line.includes(' state ')).map((line) => line.replace(/ c\d+ /, ' '));
    expect(states).toEqual([
      'debug state listening',
      'debug state replying',
      'debug state listening',
      'debug state done',
    ]);
  });
});

describe('a clean close while the machine still works on its own', () => {
  /** Ends its side at once, then on the peer's end "stores" for 100 ms: both sides have closed by then. */
  const storing = setup({
    types: { events: {} as Line | WireEvent, emitted: {} as WireCommand },
    actors: { store: fromPromise(() => new Promise((stored) => setTimeout(stored, 100))) },
    actions: { end: emit({ type: 'wire.end' as const }) },
  }).createMachine({
    initial: 'receiving',
    entry: 'end',
    states: {
      receiving: { tags: READING_TAG, on: { 'socket.end': 'storing' } },
      storing: { invoke: { src: 'store', onDone: 'stored' } },
      stored: { type: 'final' },
    },
    output: () => ({ ok: true, outcome: 'stored', bytes: 0 }),
  });

  /** Serves `logic` on loopback, sends one line and ends; resolves with how the server's session ended. */
  async function serveOneLine(logic: typeof storing): Promise<unknown> {
    const quiet = await startTcpServer({
      host: '127.0.0.1',
      port: 0,
      protocol: { name: 'store', accept: () => ({ logic, input: undefined, decoder: new LineReader() }) },
      log: capturingLogger([]),
    });
    const outcome = new Promise((resolve) => quiet.onFinished((_, ended) => resolve(ended)));
    const socket = connect(quiet.address.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.end('data\n');
    socket.resume();
    await once(socket, 'close');
    const ended = await outcome;
    await quiet.close();
    return ended;
  }

  it('lets it finish rather than breaking the session', async () => {
    expect(await serveOneLine(storing)).toMatchObject({ ok: true, outcome: 'stored' });
  });

  it('ends the session, without crashing, when that work fails', async () => {
    const failing = storing.provide({
      actors: {
        store: fromPromise(() => new Promise((_, fail) => setTimeout(() => fail(new Error('disk gone')), 100))),
      },
    });
    expect(await serveOneLine(failing)).toMatchObject({ ok: false, outcome: 'aborted' });
  });
});

it('a server aborting a session whose peer ended its side closes it at once, not after the time given to local work', async () => {
  /** Takes the peer's end and then waits for nothing, never ending its own side (a machine that missed the end). */
  const stuck = setup({ types: { events: {} as Line | WireEvent } }).createMachine({
    initial: 'receiving',
    states: { receiving: { tags: READING_TAG, on: { 'socket.end': 'waiting' } }, waiting: {} },
  });
  let tookEnd!: () => void;
  const endTaken = new Promise<void>((resolve) => (tookEnd = resolve));
  const watch = (_: unknown, actor: SessionActor) =>
    actor.subscribe((snapshot) => snapshot.value === 'waiting' && tookEnd());
  const protocol = { name: 'stuck', accept: () => ({ logic: stuck, input: undefined, decoder: new LineReader() }) };
  const held = await startTcpServer({ host: '127.0.0.1', port: 0, protocol, log: capturingLogger([]), watch });
  const outcome = new Promise((resolve) => held.onFinished((_, ended) => resolve(ended)));
  const socket = connect(held.address.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.end('data\n');
  await endTaken;
  const closed = held.close(0);
  // Bounded well under the 30 s a cleanly closed session gets for local work.
  expect(
    await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve('still open'), 3_000).unref())]),
  ).toMatchObject({ ok: false, outcome: 'aborted' });
  socket.destroy();
  await closed;
});
