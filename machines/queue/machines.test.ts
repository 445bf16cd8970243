/** The queue machines, driven by scripted bytes and datagrams (no sockets): what goes out, the states, how each ends. */
import { PEER_ENDS, PEER_RESETS, replay, type ReplayInput } from '../../src/engine/replay';
import { NOT_CONNECTED } from '../../src/engine/protocol';
import { createActor } from 'xstate';
import { EMPTY_TCP, EMPTY_UDP, GET, isGet, mayStillBeGet, messageFromText } from './codec';
import { queueClient, queueServer } from '.';
import { createQueueTcpClient } from './tcp-client';
import { storeEffects } from './store-effects';
import { queueTcpServerMachine } from './tcp-server';
import { queueUdpServerMachine } from './udp-server';
import { MessageQueue } from './message-queue';
import { MemoryKeeper } from './message-keeper';
import { everySplit } from '../../src/test-support/cuts';

const message = Buffer.from('This is message one. I am 41 characters.\n');
const tcpServer = (queue: MessageQueue, inputs: ReplayInput[], maxMessage = 3000) =>
  replay(queueServer(queue, 'tcp', { maxMessage }).accept('c1'), inputs);
const udpServer = (queue: MessageQueue, inputs: ReplayInput[], maxMessage = 3000) =>
  replay(queueServer(queue, 'udp', { maxMessage }).accept('u1'), inputs);
const queueOf = (...messages: string[]) =>
  new MessageQueue(new MemoryKeeper(messages.map((text) => Buffer.from(text))));

describe('codec', () => {
  it('tells GET from a message only once 7 bytes decide it', () => {
    expect(isGet(GET)).toBe(true);
    expect(isGet(Buffer.from('<<GET>> and more'))).toBe(true);
    expect(isGet(Buffer.from('<<GET>'))).toBe(false);
    expect(mayStillBeGet(Buffer.from('<<GE'))).toBe(true);
    expect(mayStillBeGet(Buffer.from('<<X'))).toBe(false);
    expect(mayStillBeGet(GET)).toBe(false);
  });

  it.each([
    ['an empty file', '', '\n', 0],
    ['a line', 'This is message one. I am 41 characters.\n', 'This is message one. I am 41 characters.\n\n', 41],
    ['CRLF and CR line ends', 'a\r\nb\rc\n', 'a\nb\nc\n\n', 6],
    ['a byte order mark and characters beyond one UTF-16 unit', '\ufeffação 🚀', '\ufeffação 🚀\n', 7],
  ])(
    'sends %s as the original client does: its text plus a newline, counting characters',
    (_case, file, wire, characters) => {
      expect(messageFromText(Buffer.from(file))).toEqual({ bytes: Buffer.from(wire), characters });
    },
  );

  it('takes no file that is not UTF-8 text', () => {
    expect(messageFromText(Buffer.from([0x61, 0xff]))).toBeUndefined();
    expect(messageFromText(Buffer.from([0xed, 0xa0, 0x80]))).toBeUndefined(); // an encoded surrogate
  });
});

describe('queue server over TCP', () => {
  it("counts the idle timeout from the connection's start while a GET trickles in: its bytes keep no state", async () => {
    const trickle = Array.from('<<GET>').flatMap((letter): ReplayInput[] => [Buffer.from(letter), { wait: 800 }]);
    const result = await replay(
      queueServer(queueOf('kept'), 'tcp', { maxMessage: 3000, idleTimeoutMs: 1000 }).accept('c1'),
      trickle,
    );
    expect(result.states).toEqual(['client_connect', 'failed']);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'timed_out', code: 'peer.idle' });
  });

  it('stores a message read until the client ends its side, then closes cleanly', async () => {
    const queue = queueOf();
    const result = await tcpServer(queue, [message, PEER_ENDS]);
    expect(result.sent.length).toBe(0);
    expect(result.states).toEqual(['client_connect', 'receiving_message', 'enqueue', 'message_stored']);
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'stored', bytes: 41 });
    expect(queue.take()?.bytes).toEqual(message);
  });

  it.each(everySplit(Buffer.concat([GET])))(
    'answers a GET cut anywhere (%#) with the oldest message',
    async (first, second) => {
      const result = await tcpServer(queueOf('first', 'second'), [first, second]);
      expect(result.sent.toString()).toBe('first');
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ outcome: 'delivered', bytes: 5 });
    },
  );

  it.each(everySplit(message))('stores the same message however it is cut (%#)', async (first, second) => {
    const queue = queueOf();
    await tcpServer(queue, [first, second, PEER_ENDS]);
    expect(queue.take()?.bytes).toEqual(message);
  });

  it('answers a GET without waiting for the client to end its side (the original client keeps it open)', async () => {
    const result = await tcpServer(queueOf('kept'), [GET]);
    expect(result.sent.toString()).toBe('kept');
    expect(result.states).toEqual([
      'client_connect',
      'dequeue',
      'send_message',
      'confirm_delivery',
      'request_complete',
    ]);
  });

  it('sends the 29-byte error text when the queue is empty', async () => {
    const result = await tcpServer(queueOf(), [GET]);
    expect(result.sent).toEqual(EMPTY_TCP);
    expect(result.sent.length).toBe(29);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'queue_empty' });
  });

  it('stores a message shorter than 7 bytes (and one that starts like a GET) at the end of the client side', async () => {
    const queue = queueOf();
    await tcpServer(queue, [Buffer.from('<<GE'), PEER_ENDS]);
    expect(queue.take()?.bytes.toString()).toBe('<<GE');
  });

  it('queues nothing for a connection that sends nothing (the original queued an empty message)', async () => {
    const queue = queueOf();
    const result = await tcpServer(queue, [PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'no_message' });
    expect(queue.length).toBe(0);
  });

  it('refuses a message over the cap with a reset instead of cutting it', async () => {
    const queue = queueOf();
    const result = await tcpServer(queue, [Buffer.alloc(2000, 0x61), Buffer.alloc(1001, 0x61), PEER_ENDS], 3000);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'refused' });
    expect(queue.length).toBe(0);
  });

  it('takes a message of exactly the cap', async () => {
    const queue = queueOf();
    await tcpServer(queue, [Buffer.alloc(3000, 0x61), PEER_ENDS], 3000);
    expect(queue.take()?.bytes.length).toBe(3000);
  });

  it('keeps UTF-8 and binary bytes exactly', async () => {
    const queue = queueOf();
    const bytes = Buffer.concat([Buffer.from('ação 日本 🚀'), Buffer.from([0, 255, 10, 13, 0])]);
    await tcpServer(queue, [bytes, PEER_ENDS]);
    expect(queue.take()?.bytes).toEqual(bytes);
  });

  it('puts a message back first when the receiver breaks before it is sent', async () => {
    const queue = queueOf('first', 'second');
    const result = await tcpServer(queue, [GET, PEER_RESETS]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'delivered' }); // flushed before the reset came
    const broken = await replay(queueServer(queue, 'tcp', { maxMessage: 3000 }).accept('c2'), [
      Buffer.from('<<GET'),
      PEER_RESETS,
    ]);
    expect(broken.outcome).toMatchObject({ ok: false, outcome: 'interrupted' });
    expect(queue.take()?.bytes.toString()).toBe('second');
  });
});

describe('queue server over TCP, a receiver that resets once the message is written', () => {
  it('has had it: the message is not put back for a second receiver (the original client resets on a message over 3000 bytes)', async () => {
    const queue = queueOf('first', 'second');
    const actor = createActor(queueTcpServerMachine.provide(storeEffects(queue)), {
      input: { maxMessage: 3000 },
    }).start();
    actor.send({ type: 'frame.bytes', bytes: GET });
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().value).toBe('send_message'); // nothing carries out the flush: written, not yet flushed
    actor.send({ type: 'socket.error', code: 'ECONNRESET' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().output).toMatchObject({ outcome: 'delivered' });
    expect(queue.take()?.bytes.toString()).toBe('second');
  });

  it('has had it when the reset comes while the store confirms the delivery: delivered, not interrupted (--store)', async () => {
    const queue = queueOf('first', 'second');
    let confirmed: () => void = () => undefined;
    const slowStore = {
      enqueue: (bytes: Buffer) => queue.enqueue(bytes),
      take: () => queue.take(),
      restore: (id: number) => queue.restore(id),
      confirm: (id: number) => new Promise<void>((resolve) => (confirmed = resolve)).then(() => queue.confirm(id)),
    };
    const actor = createActor(queueTcpServerMachine.provide(storeEffects(slowStore)), {
      input: { maxMessage: 3000 },
    }).start();
    actor.send({ type: 'frame.bytes', bytes: GET });
    await new Promise((resolve) => setImmediate(resolve));
    actor.send({ type: 'wire.flushed' });
    expect(actor.getSnapshot().value).toBe('confirm_delivery');
    actor.send({ type: 'socket.error', code: 'ECONNRESET' });
    confirmed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().output).toMatchObject({ ok: true, outcome: 'delivered', bytes: 5 });
    expect(queue.take()?.bytes.toString()).toBe('second');
  });

  it('keeps it when the carrier found the receiver gone instead of writing it (replay too, from the error it recorded)', async () => {
    const queue = queueOf('first', 'second');
    const result = await tcpServer(queue, [GET, { error: NOT_CONNECTED }]);
    expect(result.sent).toEqual(Buffer.alloc(0));
    expect(result.states).toEqual(['client_connect', 'dequeue', 'send_message', 'failed']);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'interrupted', bytes: 0 });
    expect(queue.take()?.bytes.toString()).toBe('first');
  });
});

describe("the store's answers", () => {
  /** A store whose enqueue answers only when the test settles it, as one on disk answers once its write is synced. */
  const storeOnDisk = (queue: MessageQueue) => {
    const writes: { settle: (error?: Error) => void }[] = [];
    const store = {
      take: () => queue.take(),
      restore: (id: number) => queue.restore(id),
      confirm: (id: number) => queue.confirm(id),
      enqueue: (bytes: Buffer) =>
        new Promise<void>((resolve, reject) =>
          writes.push({ settle: (error) => (error ? reject(error) : resolve(queue.enqueue(bytes))) }),
        ),
    };
    return { store, writes };
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('in memory: a message is stored, and a receiver served, within the step that asked (no step in between)', () => {
    const queue = queueOf();
    const server = () =>
      createActor(queueTcpServerMachine.provide(storeEffects(queue)), { input: { maxMessage: 3000 } }).start();
    const sender = server();
    sender.send({ type: 'frame.bytes', bytes: message });
    sender.send({ type: 'socket.end' });
    expect(sender.getSnapshot()).toMatchObject({ status: 'done', output: { outcome: 'stored', bytes: 41 } });
    const receiver = server();
    receiver.send({ type: 'frame.bytes', bytes: GET });
    expect(receiver.getSnapshot().value).toBe('send_message');
    receiver.send({ type: 'wire.flushed' });
    expect(receiver.getSnapshot()).toMatchObject({ status: 'done', output: { outcome: 'delivered', bytes: 41 } });
  });

  it('on disk (TCP): the machine waits in enqueue until the write settles, then stores or refuses', async () => {
    const queue = queueOf();
    const { store, writes } = storeOnDisk(queue);
    const server = () =>
      createActor(queueTcpServerMachine.provide(storeEffects(store)), { input: { maxMessage: 3000 } }).start();
    const kept = server();
    const refused = server();
    for (const actor of [kept, refused]) {
      actor.send({ type: 'frame.bytes', bytes: message });
      actor.send({ type: 'socket.end' });
      await turn();
      expect(actor.getSnapshot().value).toBe('enqueue');
    }
    writes[0].settle();
    writes[1].settle(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
    await turn();
    expect(kept.getSnapshot()).toMatchObject({ value: 'message_stored', output: { outcome: 'stored', bytes: 41 } });
    expect(refused.getSnapshot()).toMatchObject({
      value: 'failed',
      output: { ok: false, outcome: 'not_stored', code: 'storage.failed', detail: 'ENOSPC' },
    });
    expect(queue.length).toBe(1);
  });

  it('a message the store cannot read: the receive is still logged, the receiver reset (TCP) or left unanswered (UDP)', () => {
    const failing = {
      enqueue: () => undefined,
      confirm: () => undefined,
      restore: () => undefined,
      take: () => {
        throw Object.assign(new Error('I/O error'), { code: 'EIO' });
      },
    };
    const announced: string[] = [];
    const tcp = createActor(queueTcpServerMachine.provide(storeEffects(failing)), { input: { maxMessage: 3000 } });
    const udp = createActor(queueUdpServerMachine.provide(storeEffects(failing)), { input: { maxMessage: 3000 } });
    for (const actor of [tcp, udp]) actor.on('session.request', ({ summary }) => announced.push(summary));
    tcp.start().send({ type: 'frame.bytes', bytes: GET });
    expect(tcp.getSnapshot()).toMatchObject({
      value: 'failed',
      output: { ok: false, outcome: 'server_error', code: 'storage.failed', detail: 'EIO' },
    });
    udp.start().send({ type: 'frame.datagram', bytes: GET });
    udp.send({ type: 'socket.end' });
    expect(udp.getSnapshot().output).toMatchObject({ ok: false, detail: '0 stored, 0 delivered, 1 refused' });
    expect(announced).toEqual(['receive', 'receive', 'receive refused: EIO']);
  });

  it('UDP: a delivery the store cannot record (its disk full or failing) is counted delivered and logged', () => {
    const failing = {
      enqueue: () => undefined,
      restore: () => undefined,
      take: () => ({ id: 1, bytes: Buffer.from('one') }),
      confirm: () => {
        throw Object.assign(new Error('I/O error'), { code: 'EIO' });
      },
    };
    const announced: string[] = [];
    const udp = createActor(queueUdpServerMachine.provide(storeEffects(failing)), { input: { maxMessage: 3000 } });
    udp.on('session.request', ({ summary }) => announced.push(summary));
    udp.start().send({ type: 'frame.datagram', bytes: GET });
    udp.send({ type: 'wire.flushed' });
    udp.send({ type: 'socket.end' });
    expect(announced).toEqual(['receive', 'delivery of 3 B not recorded by the store: EIO']);
    expect(udp.getSnapshot().output).toMatchObject({ ok: true, detail: '0 stored, 1 delivered' });
  });

  it('on disk (UDP): each datagram waits for its write; a refused one is counted and the peer served on', async () => {
    const queue = queueOf();
    const { store, writes } = storeOnDisk(queue);
    const actor = createActor(queueUdpServerMachine.provide(storeEffects(store)), {
      input: { maxMessage: 3000 },
    }).start();
    actor.send({ type: 'frame.datagram', bytes: Buffer.from('one') });
    expect(actor.getSnapshot().value).toBe('enqueue');
    writes[0].settle(Object.assign(new Error('I/O error'), { code: 'EIO' }));
    await turn();
    expect(actor.getSnapshot().value).toBe('wait_request');
    actor.send({ type: 'frame.datagram', bytes: Buffer.from('two') });
    writes[1].settle();
    await turn();
    actor.send({ type: 'socket.end' });
    expect(actor.getSnapshot().output).toMatchObject({ ok: false, detail: '1 stored, 0 delivered, 1 refused' });
    expect(queue.take()?.bytes.toString()).toBe('two');
  });
});

describe('queue server over UDP', () => {
  it('queues datagrams whole, answers each GET with one datagram, and reports the peer when it goes quiet', async () => {
    const queue = queueOf();
    const result = await udpServer(queue, [Buffer.from('one'), Buffer.from('two'), GET, GET, GET, PEER_ENDS]);
    expect(result.sent.toString()).toBe(`onetwo${EMPTY_UDP.toString()}`);
    expect(EMPTY_UDP.length).toBe(19);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'served', bytes: 12, detail: '2 stored, 2 delivered' });
  });

  it('refuses a datagram over the cap, logs it, and keeps serving the peer', async () => {
    const queue = queueOf();
    const result = await udpServer(queue, [Buffer.alloc(11, 1), Buffer.from('ok'), PEER_ENDS], 10);
    expect(queue.take()?.bytes.toString()).toBe('ok');
    expect(result.outcome).toMatchObject({ ok: false, detail: '1 stored, 0 delivered, 1 refused' });
  });
});

describe('queue clients', () => {
  const tcp = (mode: 'send' | 'receive', inputs: ReplayInput[], bytes?: Buffer) =>
    replay(queueClient('tcp', { mode, maxMessage: 3000 }, bytes), inputs);

  it('send: writes the message, ends its side, and counts it sent once the server closes cleanly', async () => {
    const result = await tcp('send', [PEER_ENDS], message);
    expect(result.sent).toEqual(message);
    expect(result.states).toEqual(['send_message', 'wait_message_stored', 'message_sent']);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', bytes: 41 });
  });

  it('send: a reset means the server did not keep it', async () => {
    const result = await tcp('send', [PEER_RESETS], message);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'not_stored' });
  });

  it.each(['ECONNRESET', 'EPIPE'])(
    'send: a reset that comes while the message is still being written (%s) means the same',
    (code) => {
      const actor = createActor(createQueueTcpClient(message), { input: { mode: 'send', maxMessage: 3000 } }).start();
      expect(actor.getSnapshot().value).toBe('send_message'); // nothing carries out the flush: the write never completes
      actor.send({ type: 'socket.error', code });
      expect(actor.getSnapshot().output).toMatchObject({ ok: false, outcome: 'not_stored' });
    },
  );

  it('send: a connection broken otherwise while writing is an interruption', () => {
    const actor = createActor(createQueueTcpClient(message), { input: { mode: 'send', maxMessage: 3000 } }).start();
    actor.send({ type: 'socket.error', code: 'ETIMEDOUT' });
    expect(actor.getSnapshot().output).toMatchObject({ ok: false, outcome: 'interrupted' });
  });

  it.each(everySplit(message))(
    'receive: reads the whole reply until the server closes, however cut (%#)',
    async (first, second) => {
      const result = await tcp('receive', [first, second, PEER_ENDS]);
      expect(result.sent).toEqual(GET);
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'received', bytes: 41 });
    },
  );

  it('receive: the empty-queue text is reported as such', async () => {
    const result = await tcp('receive', [EMPTY_TCP, PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'queue_empty' });
  });

  it('receive over UDP: times out when no reply comes (the original waited forever)', async () => {
    const result = await replay(queueClient('udp', { mode: 'receive', maxMessage: 3000, idleTimeoutMs: 5000 }), [
      { wait: 4999 },
      { wait: 1 },
    ]);
    expect(result.sent).toEqual(GET);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'timed_out' });
  });

  it('receive over UDP: one datagram is the message', async () => {
    const result = await replay(queueClient('udp', { mode: 'receive', maxMessage: 3000 }), [message]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'received', bytes: 41 });
  });
});
