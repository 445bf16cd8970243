/** A client whose machine fails ends with an exit code, not a crash: xstate rethrows an error no subscriber takes. */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { setup } from 'xstate';
import { ChunkReader } from '../engine/chunk-reader';
import { READING_TAG, type ConnectionSpec } from '../engine/protocol';
import { EXIT } from '../engine/exit-codes';
import { ClientReport } from './json-result';
import { runTextClient, type TextClientArgs } from './text-client-run';

/** Throws on the first bytes of the reply. */
const failing = setup({
  actions: {
    boom: () => {
      throw new Error('boom');
    },
  },
}).createMachine({
  context: { reply: Buffer.alloc(0) },
  initial: 'waiting',
  states: { waiting: { tags: READING_TAG, on: { 'frame.bytes': { actions: 'boom' } } } },
});

it('exits 5 (interrupted) when the machine fails on the reply', async () => {
  const server = createServer((socket) => socket.on('error', () => undefined).end('hello\n')).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const spec: ConnectionSpec = { logic: failing, input: undefined, decoder: new ChunkReader() };
  const args = {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    debug: false,
    'log-format': 'json',
    'inspect-stately': false,
  } as unknown as TextClientArgs;
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const report = new ClientReport('failing', false, { operation: 'send' });
    expect((await runTextClient('failing', spec, args, report)).code).toBe(EXIT.interrupted);
  } finally {
    stderr.mockRestore();
    server.close();
  }
});
