/** The advanced ardei variant's effects, as the actors its server and client machines declare. */
import { fromPromise } from 'xstate';
import { fromAnswer } from '../../src/engine/from-answer';
import { fileSink, fileSource } from '../../src/engine/file-actors';
import type { DownloadFolder } from '../../src/storage/download-folder';
import type { DownloadLookup } from '../../src/storage/file-store';
import type { AdvancedFiles } from './advanced-server';

/** For `ardeiAdvancedServerMachine.provide({ actors: advancedServerActors(files) })`. */
export function advancedServerActors(files: AdvancedFiles) {
  return {
    directory: fromPromise<{ folders: string[]; files: string[] } | undefined, string>(({ input }) =>
      files.directory(input),
    ),
    lookup: fromAnswer<DownloadLookup, { name: string; owner: string }>((input) =>
      files.lookupDownload(input.name, input.owner),
    ),
    source: fileSource(({ ref, size }) => files.read(ref, size)),
  };
}

/** A `dl` of `name` goes to `folder`'s file `name`, once the announced size fits; one not to be kept is removed. */
export function advancedClientActors(folder: DownloadFolder) {
  return {
    checkRoom: fromPromise<boolean, { size: number }>(async ({ input }) => folder.hasRoomFor(input.size)),
    sink: fileSink(({ ref }) => folder.create(ref)),
    discard: fromPromise<string, string>(({ input }) => folder.remove(input).then(() => input)),
  };
}
