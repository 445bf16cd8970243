/** What ardei's client says about a reply: the text (and whether it is a refusal), or for data how much came, how much was lost, and how fast. */
import { formatBytes, formatRate } from '../../src/log/logger';
import { FILE_PREPARED, parseArdeiRequest } from './codec';

export interface Reply {
  request: string;
  /** Every byte received (over UDP, every data byte). */
  bytes: number;
  /** The first bytes, kept. */
  head: Buffer;
  transport: 'tcp' | 'udp';
  seconds: number;
}

export interface Report {
  text: string;
  /** Bytes asked for that did not come (0 for a text reply). */
  lost: number;
  /** Bytes that came beyond those asked for: over TCP, the server broke the protocol. */
  extra: number;
  /** The server refused: a text where data was asked for, any answer to a request it must refuse, or no answer at all. */
  refused: boolean;
}

const allA = (bytes: Buffer) => bytes.every((byte) => byte === 0x41);

/** What a reply holds when it is the data asked for: the file or stream, the bytes asked for and those come so far. */
export interface AskedData {
  what: string;
  expected: number;
  received: number;
}

/** The data `reply` carries, or undefined when it is a text (an echo, an error line, another server's answer). */
export function askedDataOf(reply: Omit<Reply, 'seconds'>): AskedData | undefined {
  const asked = parseArdeiRequest(Buffer.from(reply.request));
  // Over UDP, file_prepared is a datagram of its own that the client does not count: what follows is data.
  const prepared =
    reply.transport === 'tcp' ? reply.head.subarray(0, FILE_PREPARED.length).equals(FILE_PREPARED) : allA(reply.head);
  if (asked.kind === 'file' && prepared) {
    const received = reply.transport === 'tcp' ? reply.bytes - FILE_PREPARED.length : reply.bytes;
    return { what: `file of ${asked.size} chars`, expected: asked.size, received };
  }
  if (asked.kind === 'stream' && allA(reply.head))
    return {
      what: `stream of ${asked.count} x ${asked.size} bytes`,
      expected: asked.count * asked.size,
      received: reply.bytes,
    };
  return undefined;
}

/** Bytes of data that came beyond those asked for (none for a text): over TCP, the server broke the protocol. */
export function bytesPastAsked(reply: Omit<Reply, 'seconds'>): number {
  const data = askedDataOf(reply);
  return data ? Math.max(data.received - data.expected, 0) : 0;
}

export function reportOf(reply: Reply): Report {
  const data = askedDataOf(reply);
  if (data) return dataReport(data, reply.seconds);
  const asked = parseArdeiRequest(Buffer.from(reply.request));
  return { text: reply.head.toString(), lost: 0, extra: 0, refused: asked.kind !== 'echo' || reply.bytes === 0 };
}

function dataReport({ what, expected, received }: AskedData, seconds: number): Report {
  const lost = Math.max(expected - received, 0);
  const extra = Math.max(received - expected, 0);
  const percent = expected > 0 ? ((100 * lost) / expected).toFixed(1) : '0.0';
  const beyond = extra > 0 ? `, ${extra} more than asked` : '';
  return {
    text: `${what}: received ${received} of ${expected} bytes, ${lost} lost (${percent}%)${beyond}, in ${seconds.toFixed(3)} s, ${formatRate(received, seconds)} (${formatBytes(received)})`,
    lost,
    extra,
    refused: false,
  };
}
