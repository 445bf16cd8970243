/** `ardei server` (a TCP and a UDP listener) stopped by two signals: the second stops it at once, cleanly. */
import { once } from 'node:events';
import { connect } from 'node:net';
import { ardeiServerOnFreePorts, startCliServer } from '../../src/test-support/processes';

it('a second SIGTERM while a TCP download holds the grace period exits 0 at once, without a crash', async () => {
  const server = await startCliServer([...ardeiServerOnFreePorts(), '--grace', '60']);
  await server.logged(/ardei-udp server listening/);
  const tcpPort = Number(/ardei server listening on [\d.]+:(\d+)/.exec(server.output())![1]);
  // A 100 MB file that this client never reads: its session is in flight until aborted.
  const client = connect(tcpPort, '127.0.0.1');
  client.on('error', () => undefined);
  await once(client, 'connect');
  client.write('100000000');
  await server.logged(/file_prepared|100000000/);
  client.pause();

  server.child.kill('SIGTERM');
  await server.logged(/no longer accepting connections/);
  server.child.kill('SIGTERM');
  await server.logged(/again: stopping now/);
  expect(await server.exited).toBe(0);
  expect(server.output()).not.toMatch(/ERR_SOCKET_DGRAM_NOT_RUNNING|Error/);
  client.destroy();
}, 20_000);
