/** The queue protocol (seed 001) as the loop runs it, over TCP and over UDP. */
import { ChunkReader } from '../../src/engine/chunk-reader';
import { DatagramReader } from '../../src/engine/datagram-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { decodeDatagram } from './codec';
import type { MessageStore } from './message-store';
import { createQueueTcpClient, type QueueClientInput } from './tcp-client';
import { storeEffects } from './store-effects';
import { queueTcpServerMachine, type QueueServerInput } from './tcp-server';
import { createQueueUdpClient } from './udp-client';
import { queueUdpServerMachine } from './udp-server';

export type Transport = 'tcp' | 'udp';

/** The protocol's name in logs, traces and the inspector: each transport has its own machines. */
export const queueProtocolName = (transport: Transport) => (transport === 'tcp' ? 'queue' : 'queue-udp');

export function queueServer(store: MessageStore, transport: Transport, input: QueueServerInput): StreamProtocol {
  const logic =
    transport === 'tcp'
      ? queueTcpServerMachine.provide(storeEffects(store))
      : queueUdpServerMachine.provide(storeEffects(store));
  return {
    name: queueProtocolName(transport),
    accept: () => ({
      logic,
      input,
      decoder: transport === 'tcp' ? new ChunkReader() : new DatagramReader(decodeDatagram),
    }),
  };
}

/** `message` is sent in `send` mode and ignored in `receive` mode. */
export function queueClient(
  transport: Transport,
  input: QueueClientInput,
  message: Buffer = Buffer.alloc(0),
): ConnectionSpec {
  return transport === 'tcp'
    ? { logic: createQueueTcpClient(message), input, decoder: new ChunkReader() }
    : { logic: createQueueUdpClient(message), input, decoder: new DatagramReader(decodeDatagram) };
}
