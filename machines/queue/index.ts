/** The queue protocol's entry point: its connections and its descriptor. */
import type { ProtocolDescriptor, ServingTimes } from '../protocol-descriptor';
import { DEFAULT_MAX_MESSAGE, QUEUE_PORT } from './codec';
import { queueServer } from './connections';
import { queueFixtures } from './fixture-scenarios';
import { MessageQueue } from './message-queue';
import { queueTraceSupport } from './trace-support';

export * from './connections';

const queues = new WeakMap<ServingTimes, MessageQueue>();

// No stored-confirmation offer here (serve-all): it is opt-in, `queue server --offer-confirmation` only.

/** One queue per serving world, whichever transport a message comes by. */
function queueOf(world: ServingTimes): MessageQueue {
  const queue = queues.get(world) ?? new MessageQueue();
  queues.set(world, queue);
  return queue;
}

export const queueProtocol: ProtocolDescriptor = {
  name: 'queue',
  servers: (['tcp', 'udp'] as const).map((transport) => ({
    transport,
    port: QUEUE_PORT,
    protocol: (world: ServingTimes) =>
      queueServer(queueOf(world), transport, {
        maxMessage: DEFAULT_MAX_MESSAGE,
        idleTimeoutMs: world.idleTimeoutMs,
      }),
  })),
  traces: { queue: queueTraceSupport('tcp'), 'queue-udp': queueTraceSupport('udp') },
  fixtures: queueFixtures,
};
