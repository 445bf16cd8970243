/** The advanced ardei variant's effects, as the actors its server and client machines declare. */
import { fromCallback, fromPromise, type EventObject } from 'xstate';
import { fileSink, fileSource } from '../../src/engine/file-actors';
import type { DownloadLookup, IncomingFile } from '../../src/storage/file-store';
import type { AdvancedFiles } from './advanced-server';

/** For `ardeiAdvancedServerMachine.provide({ actors: advancedServerActors(files) })`. */
export function advancedServerActors(files: AdvancedFiles) {
  return {
    directory: fromPromise<{ folders: string[]; files: string[] } | undefined, string>(({ input }) =>
      files.directory(input),
    ),
    lookup: fromPromise<DownloadLookup, { name: string; owner: string }>(({ input }) =>
      files.lookupDownload(input.name, input.owner),
    ),
    holdNames: fromCallback<EventObject, { owner: string }>(
      ({ input }) =>
        () =>
          files.release(input.owner),
    ),
    source: fileSource(({ ref, size }) => files.read(ref, size)),
  };
}

/** `local(name)` is where a `dl` of `name` goes, once `hasRoomFor` says the announced size fits. */
export function advancedClientActors(
  local: (name: string) => IncomingFile,
  hasRoomFor: (size: number) => Promise<boolean>,
) {
  return {
    checkRoom: fromPromise<boolean, { size: number }>(({ input }) => hasRoomFor(input.size)),
    sink: fileSink(({ ref }) => local(ref)),
  };
}
