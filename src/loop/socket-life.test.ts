/**
 * How a TCP connection opens, backs up, lingers and closes (socket-life.ts), over real loopback
 * sockets, with a small line protocol defined here and short LoopOptions where a wait is tested.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { assign, emit, fromPromise, setup } from 'xstate';
import { READING_TAG, type SessionOutcome, type WireCommand, type WireEvent } from '../engine/protocol';
import { LineReader, type Line } from '../test-support/line-reader';
import { capturingLogger } from '../test-support/logs';
import { DEFAULT_LOOP_OPTIONS, type LoopOptions } from './loop-options';
import { startTcpServer, type TcpServer } from './tcp-server';

const CHUNK = 64 * 1024;
/** 16 MiB: more than loopback's socket buffers take while the peer does not read. */
const CHUNKS = 256;
/** What "blast" writes: CHUNKS chunks of CHUNK bytes, chunk n filled with byte n. */
const BLAST = Buffer.concat(Array.from({ length: CHUNKS }, (_, n) => Buffer.alloc(CHUNK, n)));

/**
 * One line, one command: "blast" writes BLAST in one go and reads again once the socket has drained;
 * "store" ends its side (FIN) and stores for ever; "reset" resets; "end then reset" ends its side and resets in
 * the same step; "bye" or the peer's end finishes.
 * A socket error finishes it `broken`, with the error's code.
 */
const commands = setup({
  types: {
    context: {} as { outcome: string; detail?: string },
    events: {} as Line | WireEvent,
    emitted: {} as WireCommand,
  },
  actors: { store: fromPromise(() => new Promise(() => undefined)) },
  actions: {
    blast: emit(() => ({ type: 'wire.write' as const, bytes: BLAST })),
    end: emit({ type: 'wire.end' as const }),
    reset: emit({ type: 'wire.reset' as const }),
    ended: assign((_, params: { outcome: string; detail?: string }) => params),
  },
}).createMachine({
  context: { outcome: 'running' },
  initial: 'listening',
  on: {
    'socket.error': {
      target: '.finished',
      actions: { type: 'ended', params: ({ event }) => ({ outcome: 'broken', detail: event.code }) },
    },
  },
  states: {
    listening: {
      tags: READING_TAG,
      on: {
        'frame.line': [
          { guard: ({ event }) => event.text === 'blast', target: 'replying', actions: 'blast' },
          { guard: ({ event }) => event.text === 'store', target: 'storing' },
          {
            guard: ({ event }) => event.text === 'reset',
            target: 'finished',
            actions: ['reset', { type: 'ended', params: { outcome: 'reset' } }],
          },
          {
            guard: ({ event }) => event.text === 'end then reset',
            target: 'finished',
            actions: ['end', 'reset', { type: 'ended', params: { outcome: 'reset' } }],
          },
          { target: 'finished', actions: { type: 'ended', params: { outcome: 'done' } } },
        ],
        'socket.end': { target: 'finished', actions: { type: 'ended', params: { outcome: 'done' } } },
      },
    },
    replying: { on: { 'wire.full': 'backed_up' } },
    backed_up: { on: { 'wire.drain': 'listening' } },
    storing: { entry: 'end', invoke: { src: 'store' } },
    finished: { type: 'final' },
  },
  output: ({ context }): SessionOutcome => ({
    ok: context.outcome === 'done',
    outcome: context.outcome,
    code: context.outcome === 'done' ? 'ok' : 'socket.error',
    detail: context.detail,
    bytes: 0,
  }),
});

let server: TcpServer;
let lines: string[];
/** Called with each log line as it comes. */
let onLine: (line: string) => void;
/** The server's outcome for its next connection. */
let outcome: Promise<SessionOutcome>;

async function serve(loop: Partial<LoopOptions> = {}): Promise<void> {
  lines = [];
  onLine = () => undefined;
  server = await startTcpServer({
    host: '127.0.0.1',
    port: 0,
    protocol: { name: 'commands', accept: () => ({ logic: commands, input: undefined, decoder: new LineReader() }) },
    log: capturingLogger(lines, (line) => onLine(line)),
    loop: { ...DEFAULT_LOOP_OPTIONS, ...loop },
  });
  outcome = new Promise((resolve) => server.onFinished((_, ended) => resolve(ended)));
}
afterEach(() => server.close());

/**
 * A client that may keep its side open after the server ends its own; collects what it receives, from the
 * start, or (`reading: false`) only once `read()` is called.
 */
async function client({ reading = true } = {}): Promise<{
  socket: Socket;
  received: () => Buffer;
  length: () => number;
  read: () => void;
}> {
  const socket = connect({ port: server.address.port, host: '127.0.0.1', allowHalfOpen: true });
  const chunks: Buffer[] = [];
  let length = 0;
  const read = () =>
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
  if (reading) read();
  await once(socket, 'connect');
  return { socket, received: () => Buffer.concat(chunks), length: () => length, read };
}

const statesVisited = () =>
  lines.filter((line) => line.includes(' state ')).map((line) => line.replace(/^debug c\d+ state /, ''));
/** Settles once the server's machine has entered `state`. */
const entered = (state: string) =>
  new Promise<void>((resolve) => {
    if (statesVisited().includes(state)) {
      resolve();
      return;
    }
    onLine = (line) => line.endsWith(` state ${state}`) && resolve();
  });

describe('backpressure', () => {
  it('writes past what the socket takes tell the machine wire.full, and wire.drain once the peer reads; every byte arrives in order', async () => {
    await serve();
    const { socket, received, length, read } = await client({ reading: false });
    socket.write('blast\n');
    await entered('backed_up');
    read();
    while (length() < BLAST.length) await once(socket, 'data');
    socket.end('bye\n');
    await once(socket, 'close');
    expect(received().equals(BLAST)).toBe(true);
    expect(await outcome).toMatchObject({ ok: true, outcome: 'done' });
    expect(statesVisited()).toEqual(['listening', 'replying', 'backed_up', 'listening', 'finished']);
  });
});

describe('half-close', () => {
  it('the peer ending its side first still gets every reply, then the server ends and closes', async () => {
    await serve();
    const { socket, received } = await client();
    socket.end('blast\n');
    await once(socket, 'end');
    await once(socket, 'close');
    expect(received().equals(BLAST)).toBe(true);
    expect(await outcome).toMatchObject({ ok: true, outcome: 'done' });
  });

  it('once the machine has finished, the server ends its side and closes as soon as the peer ends its own', async () => {
    await serve({ lingerMs: 600_000 });
    const { socket } = await client();
    socket.write('bye\n');
    await once(socket, 'end');
    socket.end();
    await once(socket, 'close');
    expect(await outcome).toMatchObject({ ok: true, outcome: 'done' });
  });

  it('a peer that never ends its side is dropped after lingerMs', async () => {
    await serve({ lingerMs: 50 });
    const { socket } = await client();
    socket.write('bye\n');
    await once(socket, 'end');
    // The server's side is gone although this one never ended: its outcome is settled only once it has closed.
    expect(await outcome).toMatchObject({ ok: true, outcome: 'done' });
    expect(server.open).toBe(0);
    expect(socket.writableEnded).toBe(false);
    socket.destroy();
  });
});

describe('reset', () => {
  it("the machine's wire.reset reaches the peer as ECONNRESET", async () => {
    await serve();
    const { socket } = await client();
    const failed = once(socket, 'error');
    socket.write('reset\n');
    expect(((await failed)[0] as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(await outcome).toMatchObject({ ok: false, outcome: 'reset' });
  });

  it('a wire.reset right after the machine ended its side closes the connection: its FIN, then its RST', async () => {
    // libuv refuses a reset while the FIN waits to go out: the connection stayed open and never settled.
    await serve({ lingerMs: 600_000 });
    const { socket } = await client();
    socket.write('end then reset\n');
    await once(socket, 'end');
    expect(await outcome).toMatchObject({ ok: false, outcome: 'reset' });
    expect(server.open).toBe(0);
    // The server's socket is gone, not half-open: what this side still sends is refused.
    const refused = once(socket, 'error');
    socket.write('bye\n');
    expect(['ECONNRESET', 'EPIPE']).toContain(((await refused)[0] as NodeJS.ErrnoException).code);
  });

  it("the peer's reset reaches the machine as a socket error, and the server serves the next connection", async () => {
    await serve();
    const first = await client();
    first.socket.resetAndDestroy();
    expect(await outcome).toMatchObject({ ok: false, outcome: 'broken', detail: 'ECONNRESET' });
    outcome = new Promise((resolve) => server.onFinished((_, ended) => resolve(ended)));
    const second = await client();
    second.socket.end('blast\n');
    await once(second.socket, 'close');
    expect(second.received().equals(BLAST)).toBe(true);
  });
});

describe('finish after close', () => {
  it('local work that outlasts localWorkMs after a clean close is broken with socket.error `closed`', async () => {
    await serve({ localWorkMs: 50 });
    const { socket } = await client();
    socket.end('store\n');
    await once(socket, 'close');
    expect(await outcome).toMatchObject({ ok: false, outcome: 'broken', detail: 'closed' });
    expect(statesVisited()).toEqual(['listening', 'storing', 'finished']);
  });
});
