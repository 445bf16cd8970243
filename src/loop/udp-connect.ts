/** The client side of a datagram protocol: one UDP socket connected to the server, run as one peer. */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { AnyActorRef } from 'xstate';
import { errorCode } from '../storage/errors';
import type { ConnectionSpec, SessionOutcome } from '../engine/protocol';
import type { Logger } from '../log/logger';
import type { TraceWriter } from '../trace/trace-writer';
import { runDatagramPeer } from './datagram-peer';

export interface UdpClientOptions {
  log: Logger;
  record?: TraceWriter;
  watch?: (actor: AnyActorRef) => void;
}

const RECEIVE_BUFFER = 4 * 1024 * 1024;

/** Connects a UDP socket to `host:port` (resolving the name first) and runs `spec` over it until its machine finishes. */
export async function runUdpClient(
  host: string,
  port: number,
  spec: ConnectionSpec,
  options: UdpClientOptions,
): Promise<SessionOutcome> {
  // A receive buffer that holds a burst while this process is busy: what overflows it, UDP drops. The kernel caps it
  // at net.core.rmem_max (Debian's default: 208 KiB).
  const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    // Node calls back with the lookup's error (a host that does not resolve), though its types say no argument.
    const connected = (error?: Error) => {
      socket.off('error', reject);
      if (error) reject(error);
      else resolve();
    };
    socket.connect(port, host, connected);
  }).catch((error: unknown) => {
    socket.close();
    throw error;
  });
  const peer = runDatagramPeer(spec, {
    id: 'client',
    ...options,
    send: (bytes, done) => socket.send(bytes, done),
  });
  socket.on('message', (datagram) => peer.receive(datagram));
  socket.on('error', (error) => peer.fail(errorCode(error)));
  const outcome = await peer.finished;
  socket.close();
  return outcome;
}
