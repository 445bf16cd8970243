/** A transfer client connection, apart from the server's (connections.ts) so that a client loads no server machine. */
import type { BulkOptions } from '../../src/engine/file-actors';
import type { ConnectionSpec } from '../../src/engine/protocol';
import type { LocalFile } from '../../src/storage/file-store';
import { asksToResume, transferClientMachine, type ClientInput } from './client';
import { clientActors, clientRoomCheck } from './client-actors';
import type { ClientLogic } from './client-logic-pool';
import { TransferFrameReader } from './frame-reader';

/** The protocol's name in logs, traces and outcomes. */
export const TRANSFER_PROTOCOL = 'transfer';

/** `bulk`: the buffer sizes of its file actors (file-actors.ts), each with its default. */
export function transferClient(local: LocalFile, input: ClientInput, bulk: BulkOptions = {}): ConnectionSpec {
  return transferClientOf(
    transferClientMachine.provide({ actors: clientActors(local, bulk), actions: clientRoomCheck(local) }),
    input,
  );
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
