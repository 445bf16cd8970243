/**
 * A server socket that reads as a client's does (lent-reads.ts): into the buffer every socket of the
 * process shares, not into a new Buffer per read. net.Server takes no `onread` option, so the socket it
 * accepted (paused: `pauseOnConnect`) hands its handle, before any read, to a socket built with one, as
 * net.Server built the first (the `handle` option it passes to `new Socket`); the new socket takes its
 * place in the server's count of connections, so `close` still waits for it. Where the accepted socket has
 * no handle to hand over (another runtime), it is kept as it is and reads as Node's sockets do.
 */
import { Socket } from 'node:net';
import { LentReads } from './lent-reads';

/** The fields of net's Socket this relies on (lib/net.js: `onconnection`, `initSocketHandle`, `_destroy`). */
interface AcceptedSocket {
  _handle: unknown;
  _server: unknown;
  server: unknown;
}

export interface LentServerSocket {
  socket: Socket;
  /** Absent when the socket reads into Buffers of its own. */
  reads?: LentReads;
}

export function lendReads(accepted: Socket): LentServerSocket {
  const inner = accepted as unknown as AcceptedSocket;
  if (!inner._handle || inner._server === undefined) return { socket: accepted };
  const reads = new LentReads();
  const socket = new Socket({
    handle: inner._handle,
    allowHalfOpen: accepted.allowHalfOpen,
    pauseOnCreate: true,
    readable: true,
    writable: true,
    onread: reads.onread,
  } as ConstructorParameters<typeof Socket>[0]);
  const taking = socket as unknown as AcceptedSocket;
  taking._server = inner._server;
  taking.server = inner.server;
  inner._handle = null;
  inner._server = null;
  return { socket, reads };
}
