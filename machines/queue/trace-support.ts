/**
 * What `wirestate replay`, the fixture tests and the inspector need of the
 * queue: frame names for a timeline, and the machine and world that recorded
 * a trace, rebuilt from the trace alone (the messages a server handed out are
 * put in its queue, oldest first; a client's message is what it sent).
 */
import { NOT_CONNECTED, type ConnectionSpec } from '../../src/engine/protocol';
import { tracedBytes, tracedChunks, type Trace } from '../../src/trace/trace-format';
import type { TraceSupport } from '../../src/trace/trace-support';
import { EMPTY_TCP, EMPTY_UDP, isGet } from './codec';
import { queueClient, queueServer, type Transport } from './connections';
import { MessageQueue } from './message-queue';
import { OFFER_TOKEN, SEND_TOKEN, STORED_TOKEN, startsWith } from './store-confirmation';
import { MemoryKeeper } from './message-keeper';
import type { QueueClientInput } from './tcp-client';
import type { QueueServerInput } from './tcp-server';
import { createQueueTcpClient } from './tcp-client';
import { queueTcpServerMachine } from './tcp-server';
import { createQueueUdpClient } from './udp-client';
import { queueUdpServerMachine } from './udp-server';

/** Stands for a message the trace shows was taken but never written. */
const UNWRITTEN = Buffer.from('\n');

function nameChunk(direction: 'in' | 'out', chunk: Buffer): string[] {
  if (isGet(chunk)) return ['<<GET>>'];
  if (chunk.equals(OFFER_TOKEN)) return ['offer to confirm storing'];
  if (chunk.equals(STORED_TOKEN)) return ['stored'];
  if (startsWith(SEND_TOKEN, chunk))
    return [
      'send with confirmation',
      ...(chunk.length > SEND_TOKEN.length ? nameChunk(direction, chunk.subarray(SEND_TOKEN.length)) : []),
    ];
  if (chunk.equals(EMPTY_TCP) || chunk.equals(EMPTY_UDP))
    return [`empty-queue reply ${JSON.stringify(chunk.toString())}`];
  return [`${chunk.length} B of message`];
}

/** What a client sent, without the SEND token that asked for a confirmation. */
const messageOf = (sent: Buffer) => (startsWith(SEND_TOKEN, sent) ? sent.subarray(SEND_TOKEN.length) : sent);

function specFromTrace(trace: Trace): ConnectionSpec {
  const transport: Transport = trace.header.transport ?? 'tcp';
  if (trace.header.role === 'client') {
    const input = trace.header.input as QueueClientInput;
    return queueClient(transport, input, input.mode === 'send' ? messageOf(tracedBytes(trace, 'out')) : undefined);
  }
  const input = trace.header.input as QueueServerInput;
  const waiting = waitingBefore(tracedChunks(trace, 'in'), tracedChunks(trace, 'out'), transport, input.maxMessage);
  // A message taken for a receiver found gone was never written: its bytes are not in the trace, only that it was there.
  if (trace.entries.some((entry) => 'error' in entry && entry.error === NOT_CONNECTED)) waiting.push(UNWRITTEN);
  const queue = new MessageQueue(new MemoryKeeper(waiting));
  return queueServer(queue, transport, input).accept(trace.header.connection);
}

/**
 * The fewest messages that must have been waiting before the trace began for
 * its replies to come out as recorded: a reply is one of the trace's own
 * messages when that is next in line, otherwise it was already waiting.
 */
function waitingBefore(requests: Buffer[], replies: Buffer[], transport: Transport, maxMessage: number): Buffer[] {
  const isReply = (reply: Buffer) => reply.length > 0 && !reply.equals(EMPTY_TCP) && !reply.equals(EMPTY_UDP);
  if (transport === 'tcp') {
    const reply = Buffer.concat(replies);
    return isGet(Buffer.concat(requests)) && isReply(reply) ? [reply] : [];
  }
  const before: Buffer[] = [];
  const own: Buffer[] = [];
  let next = 0;
  for (const datagram of requests) {
    if (!isGet(datagram)) {
      if (datagram.length <= maxMessage) own.push(datagram);
      continue;
    }
    const reply = replies[next++];
    if (reply === undefined || !isReply(reply)) continue;
    if (own.length > 0 && own[0].equals(reply)) own.shift();
    else before.push(reply);
  }
  return before;
}

export function queueTraceSupport(transport: Transport): TraceSupport {
  return {
    nameFrames: () => nameChunk,
    specFromTrace,
    machines:
      transport === 'tcp'
        ? { server: queueTcpServerMachine, client: createQueueTcpClient(Buffer.alloc(0)) }
        : { server: queueUdpServerMachine, client: createQueueUdpClient(Buffer.alloc(0)) },
    inputs: { server: { maxMessage: 'number' }, client: { mode: 'string', maxMessage: 'number' } },
  };
}
