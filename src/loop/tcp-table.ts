/**
 * What the kernel knows of a TCP socket that Node does not expose (Linux: its
 * row in /proc/net/tcp and tcp6): how many bytes the peer has not acknowledged
 * yet (a client tells a slow link that still drains from a dead one), and
 * whether the socket's end was the peer's FIN or a reset (libuv reports a reset
 * that arrives behind data as a clean end of stream: see peerReset).
 */
import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { endianness } from 'node:os';

/** A connected socket's two ends. Take them while it is connected: after a reset the system no longer gives the peer's. */
export interface TcpEnds {
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

/** The kernel's TCP_CLOSE: a socket that was reset (it also leaves the table). */
const TCP_CLOSE = 0x07;

/** A copy of `socket`'s ends, kept for after it closes. */
export function endsOf({ localAddress, localPort, remoteAddress, remotePort }: TcpEnds): TcpEnds {
  return { localAddress, localPort, remoteAddress, remotePort };
}

/** The unacknowledged bytes of `socket`, or `undefined` where the system does not tell (not Linux, socket gone). */
export async function unacknowledgedBytes(socket: TcpEnds): Promise<number | undefined> {
  const row = await rowOf(socket);
  return row ? row.unacknowledged : undefined;
}

/**
 * Whether the connection was reset rather than ended by the peer's FIN. A FIN leaves the socket in the table
 * (CLOSE_WAIT, or LAST_ACK, CLOSING, TIME_WAIT once ours went too); a reset closes it, which takes it out.
 * False where the system does not tell: the end is then taken as it came.
 */
export async function peerReset(ends: TcpEnds): Promise<boolean> {
  // A connected socket always has a peer; one that had none when its ends were taken was reset before that
  // (getpeername fails once reset), e.g. a client that sent and reset before the server took the connection up.
  if (!ends.remoteAddress || !ends.remotePort) return true;
  const row = await rowOf(ends);
  return row === null || row?.state === TCP_CLOSE;
}

/** The socket's state and unacknowledged bytes; `null` when it is not in the table, `undefined` when there is no table to read. */
async function rowOf({
  localAddress,
  localPort,
  remoteAddress,
  remotePort,
}: TcpEnds): Promise<{ state: number; unacknowledged: number } | null | undefined> {
  if (!localAddress || !localPort || !remoteAddress || !remotePort) return undefined;
  const table = await readFile(isIPv4(localAddress) ? '/proc/net/tcp' : '/proc/net/tcp6', 'latin1').catch(
    () => undefined,
  );
  if (table === undefined) return undefined;
  const key = ` ${procAddress(localAddress, localPort)} ${procAddress(remoteAddress, remotePort)} `;
  const at = table.indexOf(key);
  if (at < 0) return null;
  // After the key: the state, then tx_queue:rx_queue, in hex.
  const [state = '', queues = ''] = table
    .slice(at + key.length, table.indexOf('\n', at))
    .trim()
    .split(/\s+/);
  const row = { state: Number.parseInt(state, 16), unacknowledged: Number.parseInt(queues.split(':')[0] ?? '', 16) };
  return Number.isNaN(row.state) || Number.isNaN(row.unacknowledged) ? undefined : row;
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
