/**
 * A flood of refused connections (a real server process, the attacker on 127.0.0.2) leaves a short log
 * that still says what happened: the first refusal in full, then one line with the count, written at
 * shutdown at the latest. In JSON, both lines carry their fields (before: the count's line had none).
 */
import { connect } from 'node:net';
import { startCliServer, type ServerProcess } from '../test-support/processes';

const ATTACKER = '127.0.0.2';
/** Refused connections in the flood: bounded, in waves of WAVE at once. */
const FLOOD = 200;
const WAVE = 20;
/** The most any one connection may take to open and be refused. */
const CONNECTION_BOUND_MS = 5_000;

let server: ServerProcess | undefined;
afterEach(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  server = undefined;
});

/** A connection from the attacker's address that ends when the server closes it (or at the bound). */
function connectAndWaitForClose(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: ATTACKER });
    const timer = setTimeout(() => socket.destroy(), CONNECTION_BOUND_MS);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

it('logs the first refusal from an address in full and the rest as one count', async () => {
  server = await startCliServer([
    'upper',
    'server',
    '0',
    '--host',
    '127.0.0.1',
    '--max-per-address',
    '1',
    '--request-timeout',
    '60',
    '--idle-timeout',
    '60',
    '--log-format',
    'json',
  ]);
  const port = server.port;
  // The one slot the address may hold, held open for the whole flood.
  const holder = connect({ host: '127.0.0.1', port, localAddress: ATTACKER });
  holder.on('error', () => undefined);
  try {
    await server.logged(/connected from 127\.0\.0\.2/);
    for (let sent = 0; sent < FLOOD; sent += WAVE)
      await Promise.all(Array.from({ length: WAVE }, () => connectAndWaitForClose(port)));
  } finally {
    holder.destroy();
  }
  // Well within the 10 s interval: the count is written at shutdown.
  server.child.kill('SIGTERM');
  await server.exited;
  const log = server.output();
  expect(log.match(/refused 127\.0\.0\.2:\d+: 1 connection open from 127\.0\.0\.2/g)).toHaveLength(1);
  expect(log).toContain(`refused ${FLOOD - 1} more connection(s) from 127.0.0.2 in the last 10 s`);
  const refusals = log
    .split('\n')
    .filter((line) => line.includes('refused'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(refusals).toEqual([
    expect.objectContaining({ event: 'refused', protocol: 'upper', peer: expect.stringMatching(/^127\.0\.0\.2:\d+$/) }),
    expect.objectContaining({ event: 'refused', address: ATTACKER, count: FLOOD - 1, interval_s: 10 }),
  ]);
});
