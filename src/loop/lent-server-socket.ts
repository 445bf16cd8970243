/**
 * A server socket that reads as a client's does (lent-reads.ts): into the buffer every socket of the
 * process shares, not into a new Buffer per read. net.Server takes no `onread` option, so the socket it
 * accepted (paused: `pauseOnConnect`, nothing read yet) is given, before its first read, what that option
 * would have given it: net keeps the buffer and its callback under two symbols of the socket, which every
 * read, pause and resume looks at, and tells the handle to read into the buffer (lib/net.js
 * `initSocketHandle`). The symbols are learnt once from a socket built with the option. Where they or the
 * handle's `useUserBuffer` are not there (another runtime), the socket reads as Node's sockets do.
 */
import { Socket } from 'node:net';
import { LentReads } from './lent-reads';

interface LendingKeys {
  buffer: symbol;
  callback: symbol;
}

/** The symbols under which net's Socket keeps its `onread` buffer and callback, or undefined if it keeps them otherwise. */
function findLendingKeys(): LendingKeys | undefined {
  const onread = { buffer: Buffer.alloc(1), callback: () => true };
  const probe = new Socket({ onread } as ConstructorParameters<typeof Socket>[0]);
  const fields = probe as unknown as Record<symbol, unknown>;
  const keys = Object.getOwnPropertySymbols(probe);
  const buffer = keys.find((key) => fields[key] === onread.buffer);
  const callback = keys.find((key) => fields[key] === onread.callback);
  probe.destroy();
  return buffer && callback ? { buffer, callback } : undefined;
}

const LENDING_KEYS = findLendingKeys();

/** The part of net's TCP handle this calls. */
interface UserBufferHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

/**
 * Makes the paused, freshly accepted `accepted` read into the shared buffer; its LentReads hands out what it
 * reads, or undefined when it keeps reading into Buffers of its own.
 */
export function lendReads(accepted: Socket): LentReads | undefined {
  const handle = (accepted as unknown as { _handle?: Partial<UserBufferHandle> | null })._handle;
  if (LENDING_KEYS === undefined || typeof handle?.useUserBuffer !== 'function') return undefined;
  const reads = new LentReads();
  const fields = accepted as unknown as Record<symbol, unknown>;
  const { buffer, callback } = reads.onread as { buffer: Uint8Array; callback: (count: number) => boolean };
  fields[LENDING_KEYS.buffer] = buffer;
  fields[LENDING_KEYS.callback] = callback;
  handle.useUserBuffer(buffer);
  return reads;
}
