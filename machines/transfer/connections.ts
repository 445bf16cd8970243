/** The transfer protocol (seed 002) as the loop runs it: a server per connection, a client per run (client-connection.ts). */
import type { BulkOptions } from '../../src/engine/file-actors';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import type { ServerFiles } from '../../src/storage/file-store';
import { TransferFrameReader } from './frame-reader';
import { transferServerMachine, type ServerInput } from './server';
import { CAPABILITY, IMPLEMENTED } from './extension-frames';
import { serverActors, serverLookups } from './server-actors';

import { TRANSFER_PROTOCOL } from './client-connection';

export * from './client-connection';

export interface TransferServerOptions extends BulkOptions {
  /** Largest upload accepted, in bytes. */
  maxUploadSize: number;
  /** How long a client may send nothing while its connection waits for it (default 30 s). */
  idleTimeoutMs?: number;
  /** The extensions offered to a client that says hello (default: all wirestate implements, `resume` only with a keep time). */
  capabilities?: number;
  /** Seconds an interrupted resumable upload is kept (default 0: `resume` is not offered). */
  resumeKeepSeconds?: number;
}

export function transferServer(files: ServerFiles, options: TransferServerOptions): StreamProtocol {
  const logic = transferServerMachine.provide({ actors: serverActors(files, options), actions: serverLookups(files) });
  const resumeKeepSeconds = options.resumeKeepSeconds ?? 0;
  const capabilities = options.capabilities ?? (resumeKeepSeconds > 0 ? IMPLEMENTED : IMPLEMENTED & ~CAPABILITY.resume);
  return {
    name: TRANSFER_PROTOCOL,
    accept: (connectionId): ConnectionSpec => ({
      logic,
      input: {
        owner: connectionId,
        maxUploadSize: options.maxUploadSize,
        idleTimeoutMs: options.idleTimeoutMs,
        capabilities,
        resumeKeepSeconds,
      } satisfies ServerInput,
      decoder: new TransferFrameReader('server', { capabilities }),
      release: () => files.release(connectionId),
    }),
  };
}
