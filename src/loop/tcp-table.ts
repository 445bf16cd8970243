/**
 * What the kernel knows of a TCP socket that Node does not expose (Linux: its
 * row in /proc/net/tcp and tcp6): how many bytes the peer has not acknowledged
 * yet, so a client tells a slow link that still drains from a dead one.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { endianness } from 'node:os';

/** A connected socket's two ends. */
export interface TcpEnds {
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

/** The unacknowledged bytes of `socket`, or `undefined` where the system does not tell (not Linux, socket gone). */
export async function unacknowledgedBytes(ends: TcpEnds): Promise<number | undefined> {
  const path = tablePath(ends);
  return path === undefined ? undefined : unacknowledgedIn(await tableFromNow(path), ends);
}

/** The same, read at once (a signal's handler, which the process's exit follows, cannot wait for a read). */
export function unacknowledgedBytesNow(ends: TcpEnds): number | undefined {
  const path = tablePath(ends);
  if (path === undefined) return undefined;
  try {
    return unacknowledgedIn(readFileSync(path, 'latin1'), ends);
  } catch {
    return undefined;
  }
}

/** The table that has the socket's row; undefined for a socket not connected (or no longer). */
const tablePath = ({ localAddress, localPort, remoteAddress, remotePort }: TcpEnds) =>
  localAddress && localPort && remoteAddress && remotePort
    ? isIPv4(localAddress)
      ? '/proc/net/tcp'
      : '/proc/net/tcp6'
    : undefined;

/** The socket's tx_queue in its row of `table`. */
function unacknowledgedIn(table: string | undefined, ends: TcpEnds): number | undefined {
  const { localAddress, localPort, remoteAddress, remotePort } = ends;
  if (table === undefined || !localAddress || !localPort || !remoteAddress || !remotePort) return undefined;
  const key = ` ${procAddress(localAddress, localPort)} ${procAddress(remoteAddress, remotePort)} `;
  const at = table.indexOf(key);
  if (at < 0) return undefined;
  // After the key: the state, then tx_queue:rx_queue, in hex.
  const queues =
    table
      .slice(at + key.length, table.indexOf('\n', at))
      .trim()
      .split(/\s+/)[1] ?? '';
  const unacknowledged = Number.parseInt(queues.split(':')[0] ?? '', 16);
  return Number.isNaN(unacknowledged) ? undefined : unacknowledged;
}

/** Reads asked for and not begun yet, by table: whoever asks before one begins shares it. */
const waiting = new Map<string, Promise<string | undefined>>();

/**
 * The table at `path` as read after this call (undefined where it cannot be read: not Linux). The read begins
 * once the current turn of the event loop is done, so every socket asked about in that turn (a server's
 * watchers fire together, send-progress.ts) shares one read, and each caller's counts from before its call
 * are all in it.
 */
function tableFromNow(path: string): Promise<string | undefined> {
  const pending = waiting.get(path);
  if (pending) return pending;
  const table = new Promise<string | undefined>((resolve) =>
    setImmediate(() => {
      waiting.delete(path);
      readFile(path, 'latin1').then(resolve, () => resolve(undefined));
    }),
  );
  waiting.set(path, table);
  return table;
}

/** An address and port as the kernel prints them there: each 32-bit word of the address in the host's byte order, in hex. */
function procAddress(address: string, port: number): string {
  const bytes = isIPv4(address) ? address.split('.').map(Number) : ipv6Bytes(address);
  const words: string[] = [];
  for (let at = 0; at < bytes.length; at += 4) {
    const word = bytes.slice(at, at + 4);
    if (endianness() === 'LE') word.reverse();
    words.push(word.map((byte) => byte.toString(16).padStart(2, '0')).join(''));
  }
  return `${words.join('').toUpperCase()}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** The 16 bytes of an IPv6 address in any written form (`::1`, `fe80::1%eth0`, `::ffff:127.0.0.1`). */
function ipv6Bytes(address: string): number[] {
  const [head, tail]: (string | undefined)[] = address.replace(/%.*$/, '').split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap(groupBytes) : []);
  const front = groups(head);
  const back = groups(tail);
  return [...front, ...new Array<number>(16 - front.length - back.length).fill(0), ...back];
}

/** One `:`-separated group: four hex digits (two bytes), or a dotted IPv4 tail (four bytes). */
function groupBytes(group: string): number[] {
  if (group.includes('.')) return group.split('.').map(Number);
  const value = Number.parseInt(group, 16);
  return [value >> 8, value & 0xff];
}
