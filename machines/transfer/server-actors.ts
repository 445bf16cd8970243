/**
 * The transfer server's effects over a store's files, as the actors and actions its machine declares (server.ts):
 * `transferServerMachine.provide({ actors: serverActors(files), actions: serverLookups(files) })`.
 */
import { assign, fromPromise } from 'xstate';
import { fileSink, fileSource, type FileTarget, type BulkOptions } from '../../src/engine/file-actors';
import type { ServerFiles } from '../../src/storage/file-store';
import { listingBytes } from './list-frames';
import { answered } from './server-lookup-refusals';
import type { ServerContext, ServerEvent } from './server';

/**
 * The request's name looked up within the step that entered the request state (the store answers at once), the
 * answer kept as `lookup`. A name that could not be read is not looked up: the state refuses it first.
 */
export function serverLookups(files: ServerFiles) {
  const lookUp =
    (ask: (name: string, owner: string) => ReturnType<ServerFiles['lookupDownload' | 'reserveUpload']>) =>
    ({ context }: { context: ServerContext }) =>
      context.nameError === undefined ? { lookup: answered(() => ask(context.name ?? '', context.owner)) } : {};
  const kept = (assigner: ReturnType<typeof lookUp>) =>
    assign<ServerContext, ServerEvent, unknown, ServerEvent, never>(assigner);
  return {
    lookUpDownload: kept(lookUp((name, owner) => files.lookupDownload(name, owner))),
    reserveUpload: kept(lookUp((name, owner) => files.reserveUpload(name, owner))),
  };
}

export function serverActors(files: ServerFiles, bulk: BulkOptions = {}) {
  return {
    checkRoom: fromPromise<boolean, FileTarget>(({ input }) => files.hasRoomFor(input.ref, input.size)),
    source: fileSource(({ ref, size }) => files.read(ref, size), bulk),
    keptUpload: fromPromise<number, { ref: string; id: string }>(
      async ({ input }) => (await files.keptUpload?.(input.ref, input.id)) ?? 0,
    ),
    sink: fileSink(
      ({ ref, tag, start = 0 }) =>
        tag !== undefined && files.receiveResumable ? files.receiveResumable(ref, { tag, start }) : files.receive(ref),
      bulk,
    ),
    // The default chunk, whatever the downloads' is: each chunk must hold the largest entry.
    listSource: fileSource(() => listingBytes(files.listFiles())),
  };
}
