/**
 * What a recorded trace says, without what differs each time the same run is
 * recorded: each entry's time and the start's, the peer's port, the number the
 * server gave the connection (and an `owner` named after it), and where TCP
 * happened to cut the bytes (datagrams keep their cuts). `npm run fixtures`
 * keeps a fixture's file as it is when a new recording says the same.
 */
import { tracedChunks, type Trace } from './trace-format';

export function traceMeaning(trace: Trace): string {
  const { protocol, role, connection, transport = 'tcp', input } = trace.header;
  const bytes = (direction: 'in' | 'out') => {
    const chunks = tracedChunks(trace, direction);
    return transport === 'udp'
      ? chunks.map((chunk) => chunk.toString('base64'))
      : Buffer.concat(chunks).toString('base64');
  };
  return JSON.stringify({
    protocol,
    role,
    transport,
    input: withoutOwner(input, connection),
    in: bytes('in'),
    out: bytes('out'),
    states: trace.entries.flatMap((entry) => ('state' in entry ? [entry.state] : [])),
    ends: trace.entries.flatMap((entry) => ('end' in entry || 'error' in entry ? [{ ...entry, t: undefined }] : [])),
    outcome: trace.entries.flatMap((entry) => ('outcome' in entry ? [entry.outcome] : [])),
  });
}

/** A server's input without the owner it names after the connection. */
function withoutOwner(input: unknown, connection: string): unknown {
  if (typeof input !== 'object' || input === null || !('owner' in input) || input.owner !== connection) return input;
  const { owner: _owner, ...rest } = input;
  return rest;
}
