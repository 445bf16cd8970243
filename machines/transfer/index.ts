/** The transfer protocol's entry point: its connections and its descriptor. */
import { FILE_TRANSFER_EXITS } from '../../src/engine/exit-codes';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { TRANSFER_PROTOCOL, transferServer } from './connections';
import { transferFixtures } from './fixture-scenarios';
import { transferEventWords } from './event-words';
import { transferFrameNamer } from './trace-describe';
import { specFromTrace, transferMachines } from './trace-world';

export * from './connections';

/** The server's port (the seed client's default, 50000, is another). */
export const TRANSFER_PORT = 50001;

export const transferProtocol: ProtocolDescriptor = {
  name: TRANSFER_PROTOCOL,
  servers: [
    {
      transport: 'tcp',
      port: TRANSFER_PORT,
      servesFolder: true,
      protocol: ({ files, idleTimeoutMs }) =>
        transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER, idleTimeoutMs }),
    },
  ],
  traces: {
    transfer: {
      nameFrames: transferFrameNamer,
      specFromTrace,
      machines: transferMachines,
      inputs: {
        server: { owner: 'string', maxUploadSize: 'number' },
        client: { operation: 'string', serverName: 'string', size: 'number' },
      },
      describeEvent: transferEventWords,
    },
  },
  exitCodes: FILE_TRANSFER_EXITS,
  fixtures: transferFixtures,
};
