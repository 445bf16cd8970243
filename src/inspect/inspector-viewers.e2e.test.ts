/**
 * Pages of the inspector that stop reading (a frozen tab, a stalled client), against a real `wirestate queue server
 * --inspect 0` under queue traffic on loopback. Before: the inspector queued every message for every such page, and
 * each new page got the whole history at once: a server with 40 stalled pages grew to 2.37 GB. Now a page is sent
 * the next message only once it has taken the last; one that falls behind what the inspector keeps is cut off, and
 * told, when it comes back, to load afresh; and a page loaded anew gets no more than the history kept (8 MiB).
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { startInspectedQueueServer } from '../test-support/inspected-queue';
import type { ServerProcess } from '../test-support/processes';

const MiB = 1024 * 1024;
/** What the inspector keeps of its messages, in bytes (inspector-hub.ts). */
const HISTORY_BYTES = 8 * MiB;

let server: ServerProcess;
let inspectorPort: number;

beforeAll(async () => {
  ({ server, inspectorPort } = await startInspectedQueueServer());
});

afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

/**
 * A GET to the inspector, with more header lines if given; its socket, not read from until asked. HTTP/1.0, so the
 * reply's body comes as it is, not in chunks, and ends with the connection.
 */
function get(path: string, headers = ''): Socket {
  const socket = connect(inspectorPort, '127.0.0.1');
  socket.on('error', () => undefined); // a page cut off is reset: seen as its close
  socket.write(`GET ${path} HTTP/1.0\r\nhost: 127.0.0.1\r\n${headers}\r\n`);
  return socket;
}

/** What `socket` sends until it closes or `enough` holds of the last 64 KiB of it; then the socket is closed. */
async function readUntil(
  socket: Socket,
  enough: (text: string) => boolean,
): Promise<{ text: string; closed: boolean }> {
  let text = '';
  const closed = once(socket, 'close').then(() => true);
  const satisfied = new Promise<boolean>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (enough(text.slice(-64 * 1024))) resolve(false);
    }),
  );
  socket.resume();
  const wasClosed = await Promise.race([closed, satisfied]);
  socket.destroy();
  return { text, closed: wasClosed };
}

/** The numbers of the messages in a piece of the event stream. */
const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));

/** One queue message sent and one received, each over its own TCP connection. */
async function queuePair(port: number): Promise<void> {
  for (const bytes of [`${'m'.repeat(100)}\n`, '<<GET>>']) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.end(bytes);
    socket.resume();
    await once(socket, 'close');
  }
}

it('a page that stops reading is cut off once a message it needs is no longer kept; back, it is told to load afresh', async () => {
  let streamed = 0;
  let carried = ''; // the end of the last chunk, where an id line may have begun
  let lastId = 0;
  const reading = get('/events?after=0');
  reading.on('data', (chunk: Buffer) => {
    streamed += chunk.length;
    const text = carried + chunk.toString('latin1');
    lastId = Math.max(lastId, ...ids(text));
    carried = text.slice(-32);
  });
  const stalled = get('/events?after=0');
  stalled.pause();
  // Traffic enough to stream 20 MiB of messages: past the history kept and the kernel's buffers for the stalled page.
  for (let pairs = 0; pairs < 4000 && streamed < 20 * MiB; pairs++) await queuePair(server.port);
  expect(streamed).toBeGreaterThanOrEqual(20 * MiB);

  // The stalled page reads again: what it was sent before it was cut off, then the end; not the messages since.
  const stalledGot = await readUntil(stalled, (text) => ids(text).includes(lastId));
  expect(stalledGot.closed).toBe(true);
  const stalledLast = Math.max(...ids(stalledGot.text));
  expect(stalledLast).toBeLessThan(lastId);

  // Reconnecting as a browser does, after the last message it got: told to load afresh, and the stream ends.
  const back = await readUntil(get('/events', `last-event-id: ${stalledLast}\r\n`), (text) =>
    ids(text).includes(lastId),
  );
  expect(back.closed).toBe(true);
  expect(back.text).toMatch(/\r\n\r\n: wirestate inspector\n\nevent: behind\ndata: [^\n]+\n\n/);
  expect(ids(back.text)).toEqual([]);
  reading.destroy();
});

it('a page loaded anew gets the history kept, no more than 8 MiB of messages, and every one whole', async () => {
  // Enough traffic for a history of more than 8 MiB had it not been bounded: a page reading from the first message
  // kept has more than 10 MiB. After the test above, the history kept is full and a few pairs suffice (was 700).
  let streamed = 0;
  const reading = get('/events?after=0');
  reading.on('data', (chunk: Buffer) => (streamed += chunk.length));
  for (let pairs = 0; pairs < 700 && streamed <= 1.25 * HISTORY_BYTES; pairs++) await queuePair(server.port);
  reading.destroy();
  expect(streamed).toBeGreaterThan(1.25 * HISTORY_BYTES);
  const page = await readUntil(get('/'), () => false);
  expect(page.closed).toBe(true);
  expect(page.text).toMatch(/^HTTP\/1\.1 200 /);
  expect(page.text).toMatch(/<\/html>\s*$/);
  const history = /<script id="history" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1];
  expect(history.length).toBeLessThanOrEqual(HISTORY_BYTES + 64 * 1024);
  const { messages, last } = JSON.parse(history) as { messages: { type: string }[]; last: number };
  expect(messages.length).toBeGreaterThan(1000);
  expect(last).toBeGreaterThan(messages.length);
  expect(messages.every((message) => typeof message.type === 'string')).toBe(true);
});
