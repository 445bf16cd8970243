/**
 * A peer that resets its connection before the server takes it from the listening queue: the kernel can no
 * longer say who it was, and the server's lines say so in words (they said `undefined:undefined`). Real
 * loopback sockets: the reset is sent while this process's event loop is blocked, so it comes before the accept.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamProtocol } from '../engine/protocol';
import { LineReader } from '../test-support/line-reader';
import { capturingLogger } from '../test-support/logs';
import { startTcpServer } from './tcp-server';
import { setup } from 'xstate';
import { python } from '../test-support/python';

const idle: StreamProtocol = {
  name: 'idle',
  accept: () => ({ logic: setup({}).createMachine({}), input: undefined, decoder: new LineReader() }),
};

/** Connects to `port` and resets at once (SO_LINGER 0), in a process of its own that this one waits for. */
const connectAndReset = (port: number) =>
  execFileSync(python(), [
    '-c',
    'import socket, struct, sys\n' +
      "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n" +
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n" +
      's.close()',
    String(port),
  ]);

it('names a peer gone before it was accepted in words', async () => {
  const lines: string[] = [];
  const server = await startTcpServer({
    host: '127.0.0.1',
    port: 0,
    protocol: idle,
    log: capturingLogger(lines),
  });
  try {
    connectAndReset(server.address.port);
    for (let tries = 0; tries < 100 && !lines.some((line) => line.includes('connected from')); tries++) await sleep(10);
    expect(lines).toContainEqual('info c1 connected from a peer already gone');
    expect(lines.join('\n')).not.toContain('undefined');
  } finally {
    await server.close();
  }
});
