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

export function reportOf(reply: Reply): Report {
  const asked = parseArdeiRequest(Buffer.from(reply.request));
  // Over UDP, file_prepared is a datagram of its own that the client does not count: what follows is data.
  const prepared =
    reply.transport === 'tcp' ? reply.head.subarray(0, FILE_PREPARED.length).equals(FILE_PREPARED) : allA(reply.head);
  if (asked.kind === 'file' && prepared) {
    const received = reply.transport === 'tcp' ? reply.bytes - FILE_PREPARED.length : reply.bytes;
    return dataReport(`file of ${asked.size} chars`, asked.size, received, reply.seconds);
  }
  if (asked.kind === 'stream' && allA(reply.head)) {
    return dataReport(
      `stream of ${asked.count} x ${asked.size} bytes`,
      asked.count * asked.size,
      reply.bytes,
      reply.seconds,
    );
  }
  return { text: reply.head.toString(), lost: 0, extra: 0, refused: asked.kind !== 'echo' || reply.bytes === 0 };
}

function dataReport(what: string, expected: number, received: number, seconds: number): Report {
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
