/** The transfer protocol (seed 002) as the loop runs it: a server per connection, a client per run. */
import type { BulkOptions } from '../../src/engine/file-actors';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { asksToResume, transferClientMachine, type ClientInput } from './client';
import { clientActors } from './client-actors';
import type { LocalFile, ServerFiles } from '../../src/storage/file-store';
import { TransferFrameReader } from './frame-reader';
import { transferServerMachine, type ServerInput } from './server';
import { CAPABILITY, IMPLEMENTED } from './extension-frames';
import { serverActors } from './server-actors';
import type { ClientLogic } from './client-logic-pool';

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
  const logic = transferServerMachine.provide({ actors: serverActors(files, options) });
  const resumeKeepSeconds = options.resumeKeepSeconds ?? 0;
  const capabilities = options.capabilities ?? (resumeKeepSeconds > 0 ? IMPLEMENTED : IMPLEMENTED & ~CAPABILITY.resume);
  return {
    name: 'transfer',
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
    }),
  };
}

/** `bulk`: the buffer sizes of its file actors (file-actors.ts), each with its default. */
export function transferClient(local: LocalFile, input: ClientInput, bulk: BulkOptions = {}): ConnectionSpec {
  return transferClientOf(transferClientMachine.provide({ actors: clientActors(local, bulk) }), input);
}

/** A client connection run by a machine already provided with its local file's actors (client-logic-pool.ts). */
export function transferClientOf(logic: ClientLogic, input: ClientInput): ConnectionSpec {
  return {
    logic,
    input,
    decoder: new TransferFrameReader(input.operation, {
      hello: input.hello !== undefined,
      resumes: asksToResume(input),
    }),
  };
}
