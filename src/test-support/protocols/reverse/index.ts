/**
 * A protocol used only by the tests, shaped as a folder under machines/ would
 * be: a line in, the line reversed back. It shows that a protocol is one
 * folder and one line in a protocol list (src/cli/generic-protocol.e2e.test.ts).
 */
import { ChunkReader } from '../../../engine/chunk-reader';
import { TEXT_CLIENT_EXITS } from '../../../engine/exit-codes';
import type { ProtocolDescriptor } from '../../../../machines/protocol-descriptor';
import { createTextClient } from '../../../engine/text-client';
import { textTraceSupport } from '../../../trace/text-trace-support';
import { reverseServer } from './server';

const MAX_LINE = 1024;

const client = createTextClient('reverse-client');
const server = () => ({
  name: 'reverse',
  accept: () => ({ logic: reverseServer, input: { maxLine: MAX_LINE }, decoder: new ChunkReader() }),
});
const lineClient = (lines: string[], idleTimeoutMs?: number) => ({
  logic: client,
  input: { lines, maxReply: 4 * MAX_LINE, idleTimeoutMs },
  decoder: new ChunkReader(),
});

export const reverseProtocol: ProtocolDescriptor = {
  name: 'reverse',
  // Port 0: the system picks one, as tests need.
  servers: [
    {
      transport: 'tcp',
      port: 0,
      protocol: server,
    },
  ],
  traces: {
    reverse: textTraceSupport({
      server: (trace) => ({
        logic: reverseServer,
        input: trace.header.input,
        decoder: new ChunkReader(),
      }),
      client: (trace) => ({ logic: client, input: trace.header.input, decoder: new ChunkReader() }),
      machines: { server: reverseServer, client },
      inputs: { server: {}, client: {} },
    }),
  },
  exitCodes: TEXT_CLIENT_EXITS,
  lineClient,
  fixtures: [
    { name: 'ok', server, run: (peer) => peer.client(lineClient(['Hello, reverse'])) },
    { name: 'ended-early', server, run: (peer) => peer.send('no newline before the end') },
  ],
};
