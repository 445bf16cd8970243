/** The lab's `blocks` exercise (seed 003) as the loop runs it: a server per connection, a client per run. */
import { ChunkReader } from '../../src/engine/chunk-reader';
import type { IncomingFile } from '../../src/engine/file-actors';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { createBlocksClient, type BlocksClientInput } from './client';
import { BlocksReplyReader } from './reply-reader';
import { createBlocksServer, type BlocksFiles, type BlocksServerInput } from './server';

export type BlocksServerOptions = Omit<BlocksServerInput, 'owner'>;

export function blocksServer(files: BlocksFiles, options: BlocksServerOptions): StreamProtocol {
  const logic = createBlocksServer(files);
  return { name: 'blocks', accept: (connectionId) => ({ logic, input: { ...options, owner: connectionId }, decoder: new ChunkReader() }) };
}

export function blocksClient(local: { receive(): IncomingFile }, input: BlocksClientInput): ConnectionSpec {
  return { logic: createBlocksClient(local), input, decoder: new BlocksReplyReader() };
}
