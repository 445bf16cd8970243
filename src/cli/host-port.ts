/** Parses `host:port` (IPv6 as `[::1]:port`), the form of the seed's `-s/--server`. */
import { isIPv6 } from 'node:net';

export function parseHostPort(text: string): { host: string; port: number } {
  // A host in brackets is a whole IPv6 address; any other host holds no colon and no bracket.
  const match = /^(?:\[([^[\]]+)\]|([^:[\]]+)):([^:]*)$/.exec(text.trim());
  if (!match) throw new Error(`expected host:port, got "${text}"${bracketsHint(text.trim())}`);
  const port = serverPort(match[3]);
  if (port === undefined) throw new Error(`the port in "${text}" ${notAServerPort(match[3])}`);
  return { host: match[1] ?? match[2], port };
}

/**
 * A server's port as a client is given it: decimal digits, 1..65535; undefined for any other word, those that
 * Number() reads too (`0x10`, `1e3`, ` 80`, `+80`, `80.0`). The one rule of every client's port.
 */
export function serverPort(word: string): number | undefined {
  const port = /^\d+$/.test(word) ? Number(word) : 0;
  return isPort(port) && port !== 0 ? port : undefined;
}

/** Why `word` is not a server's port, after the name of what it was given as. */
export const notAServerPort = (word: string): string => `must be a number 1..65535, not "${word}"`;

/**
 * A port a server listens on, as typed: decimal digits, 0..65535 (0: one the system picks); undefined for any other
 * word. The same rule as a client's (`serverPort`), 0 besides.
 */
export const listenPort = (word: string): number | undefined => (word === '0' ? 0 : serverPort(word));

/** Why `word` is not a port to listen on, after the name of what it was given as. */
export const notAListenPort = (word: string): string => `must be a number 0..65535, not "${word}"`;

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}

/**
 * An unbracketed IPv6 address reads as one with no port: the form that says where the port starts.
 * `::1:50001` is `[::1]:50001`; `::1` or `fe80::1` alone is an address still wanting its port.
 */
function bracketsHint(text: string): string {
  const lastColon = text.lastIndexOf(':');
  const [address, port] = [text.slice(0, lastColon), text.slice(lastColon + 1)];
  if (isIPv6(address) && /^\d+$/.test(port)) return `: an IPv6 address goes in brackets, [${address}]:${port}`;
  if (isIPv6(text)) return `: an IPv6 address goes in brackets, followed by the port, [${text}]:PORT`;
  return /[[\]]/.test(text) ? ': brackets hold a whole IPv6 address, as in [::1]:50001' : '';
}
