/**
 * The frame decoder of datagram protocols: each pushed chunk is one whole
 * datagram (UDP keeps message boundaries), decoded by the protocol's pure
 * `decode` into one machine event. Datagrams wait here, in order, while the
 * machine is not reading.
 */
import type { EventObject } from 'xstate';
import type { FrameDecoder } from './protocol';

export class DatagramReader<E extends EventObject> implements FrameDecoder<E> {
  private readonly queue: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly decode: (datagram: Buffer) => E) {}

  get buffered(): number {
    return this.bytes;
  }

  push(datagram: Buffer): void {
    this.queue.push(datagram);
    this.bytes += datagram.length;
  }

  next(): E | undefined {
    const datagram = this.queue.shift();
    if (datagram === undefined) return undefined;
    this.bytes -= datagram.length;
    return this.decode(datagram);
  }
}
