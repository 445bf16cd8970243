/** The transfer server's effects over a store's files, as the actors its machine declares (server.ts). */
import { fromPromise } from 'xstate';
import { fromAnswer } from '../../src/engine/from-answer';
import { fileSink, fileSource, type FileTarget, type BulkOptions } from '../../src/engine/file-actors';
import type { DownloadLookup, ServerFiles, UploadLookup } from '../../src/storage/file-store';
import { listingBytes } from './list-frames';

/** For `transferServerMachine.provide({ actors: serverActors(files) })`. */
export function serverActors(files: ServerFiles, bulk: BulkOptions = {}) {
  return {
    lookupDownload: fromAnswer<DownloadLookup, { name: string; owner: string }>((input) =>
      files.lookupDownload(input.name, input.owner),
    ),
    reserveUpload: fromAnswer<UploadLookup, { name: string; owner: string }>((input) =>
      files.reserveUpload(input.name, input.owner),
    ),
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
