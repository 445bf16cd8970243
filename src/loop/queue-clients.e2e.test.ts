/** The loop serving the queue to many clients at once, TCP and UDP: every message is delivered exactly once. */
import winston from 'winston';
import { queueClient, queueServer, type Transport } from '../../machines/queue';
import { MessageQueue } from '../../machines/queue/message-queue';
import { runConnection } from './connection';
import type { ListeningServer } from './listening-server';
import { connectTcp } from './tcp-connect';
import { startTcpServer } from './tcp-server';
import { runUdpClient } from './udp-connect';
import { startUdpServer } from './udp-server';
import type { ClientActor } from '../engine/session-actor';

const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });

describe.each(['tcp', 'udp'] as Transport[])('many clients at once over %s', (transport) => {
  it('every message is received exactly once, and the extra receivers hear the queue is empty', async () => {
    const queue = new MessageQueue();
    const common = {
      host: '127.0.0.1',
      port: 0,
      protocol: queueServer(queue, transport, { maxMessage: 3000 }),
      log: silent,
    };
    const server: ListeningServer =
      transport === 'tcp' ? await startTcpServer(common) : await startUdpServer({ ...common, idleMs: 200 });
    const session = async (mode: 'send' | 'receive', message?: Buffer) => {
      const spec = queueClient(transport, { mode, maxMessage: 3000, idleTimeoutMs: 5000 }, message);
      let received: Buffer = Buffer.alloc(0);
      const watch = (actor: ClientActor<{ message: Buffer }>) =>
        void actor.subscribe((snapshot) => (received = snapshot.context.message));
      const outcome =
        transport === 'tcp'
          ? await runConnection(await connectTcp('127.0.0.1', server.address.port), spec, {
              id: 'c',
              log: silent,
              watch,
            }).finished
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
