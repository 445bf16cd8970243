import { connect, type Socket } from 'node:net';
import type { LentReads } from './lent-reads';

/**
 * Opens a TCP connection for a client machine; rejects with the system error (ECONNREFUSED, ...). With
 * `reads`, the socket reads into its buffer and emits no `data`: the connection's loop takes them from it.
 */
export function connectTcp(host: string, port: number, reads?: LentReads): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, allowHalfOpen: true, ...(reads && { onread: reads.onread }) });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
