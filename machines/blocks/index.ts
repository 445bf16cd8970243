/** The lab's `blocks` exercise (seed 003) as the loop runs it: a server per connection, a client per run. */
import { TextRequestReader } from '../../src/engine/text-request-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { readLines } from '../../src/engine/text-request';
import { join } from 'node:path';
import { createAtomicFile } from '../../src/storage/atomic-file';
import { roomIn } from '../../src/storage/free-space';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { textTraceSupport } from '../../src/trace/text-trace-support';
import { tracedBytes } from '../../src/trace/trace-format';
import { blocksClientMachine, type BlocksClientInput } from './client';
import { blocksClientActors } from './client-actors';
import { BlocksReplyReader } from './reply-reader';
import { blocksServerMachine, type BlocksFiles, type BlocksServerInput } from './server';
import { blocksServerActors } from './server-actors';
import { parseHeader } from './codec';
import { SAMPLE_FOLDER, type FixtureScenario } from '../fixture-scenario';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { BLOCKS_MAX_REQUEST, BLOCKS_PORT } from './codec';
import { extended } from '../../src/engine/extended';

export type BlocksServerOptions = Omit<BlocksServerInput, 'owner'>;

export function blocksServer(files: BlocksFiles, options: BlocksServerOptions): StreamProtocol {
  const logic = blocksServerMachine.provide({ actors: blocksServerActors(files) });
  return {
    name: 'blocks',
    accept: (connectionId) => ({
      logic,
      input: extended(options, { owner: connectionId }),
      decoder: new TextRequestReader(1, options.maxRequest),
      release: () => files.release(connectionId),
    }),
  };
}

export function blocksClient(
  local: Parameters<typeof blocksClientActors>[0],
  input: BlocksClientInput,
): ConnectionSpec {
  return {
    logic: blocksClientMachine.provide({ actors: blocksClientActors(local) }),
    input,
    decoder: new BlocksReplyReader(),
  };
}

/**
 * What `wirestate replay`, the fixture tests and the inspector need. A server
 * trace is replayed against a folder holding what it sent: the named file
 * with the bytes after `OK`, or nothing when it answered `ERR`.
 */
export const blocksTraceSupport = () =>
  textTraceSupport({
    server: (trace) => {
      const name = readLines(tracedBytes(trace, 'in'), 1).lines[0];
      const sent = tracedBytes(trace, 'out');
      const newline = sent.indexOf(0x0a);
      const answer = parseHeader(sent.toString('utf8', 0, Math.max(newline, 0)));
      const files = new MemoryFiles(answer.kind === 'ok' ? { [name]: sent.subarray(newline + 1) } : {});
      const { owner: _owner, ...options } = trace.header.input as BlocksServerInput;
      return blocksServer(files, options).accept(trace.header.connection);
    },
    client: (trace) => blocksClient(memoryLocalFile(), trace.header.input as BlocksClientInput),
    machines: { server: blocksServerMachine, client: blocksClientMachine },
    inputs: { server: { owner: 'string', maxRequest: 'number' }, client: { serverName: 'string' } },
  });

/** The sessions `npm run fixtures` records: the client fetching each kind of name. */
const fixtures = Object.entries({
  ok: 'speech.txt',
  'empty-file': 'empty.txt',
  missing: 'nope.txt',
  'escaping-name': '../secret.txt',
}).map(([name, serverName]): FixtureScenario => ({
  name,
  files: SAMPLE_FOLDER,
  server: (files) => blocksServer(files, { maxRequest: 2048 }),
  run: (peer) =>
    peer.client(
      blocksClient(
        {
          receive: () => createAtomicFile(join(peer.local, 'received'), { noClobber: false }),
          hasRoomFor: roomIn(peer.local),
        },
        { serverName },
      ),
    ),
}));

export const blocksProtocol: ProtocolDescriptor = {
  name: 'blocks',
  servers: [
    {
      transport: 'tcp',
      port: BLOCKS_PORT,
      servesFolder: true,
      protocol: ({ files, idleTimeoutMs, quietMs }) =>
        blocksServer(files, { idleTimeoutMs, quietMs, maxRequest: BLOCKS_MAX_REQUEST }),
    },
  ],
  traces: { blocks: blocksTraceSupport() },
  fixtures,
};
