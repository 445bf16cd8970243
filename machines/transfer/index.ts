/** The transfer protocol's entry point: its connections and its descriptor. */
import { FILE_TRANSFER_EXITS } from '../../src/engine/exit-codes';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { TRANSFER_PROTOCOL, transferServer } from './connections';
import { transferFixtures } from './fixture-scenarios';
import { transferEventWords } from './event-words';
import { transferFrameNamer } from './trace-describe';
import { specFromTrace, transferMachines } from './trace-world';
import { TRANSFER_PORT } from './ports';

export * from './connections';

export { TRANSFER_PORT, PROXY_PORT } from './ports';

export const transferProtocol: ProtocolDescriptor = {
  name: TRANSFER_PROTOCOL,
  servers: [
    {
      transport: 'tcp',
      port: TRANSFER_PORT,
      servesFolder: true,
      protocol: ({ files, idleTimeoutMs, maxUploadSize, resumeKeepSeconds }) =>
        transferServer(files, { maxUploadSize, idleTimeoutMs, resumeKeepSeconds }),
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
