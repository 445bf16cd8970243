/** The share server's effects over a folder, as the actors its machine declares (server.ts). */
import { fromPromise } from 'xstate';
import { fromAnswer } from '../../src/engine/from-answer';
import { fileSink, fileSource } from '../../src/engine/file-actors';
import type { DownloadLookup, UploadLookup } from '../../src/storage/file-store';
import { SEPARATOR } from './codec';
import type { ShareFiles } from './server';

/** For `shareServerMachine.provide({ actors: shareServerActors(files) })`. */
export function shareServerActors(files: ShareFiles) {
  return {
    lookupDownload: fromAnswer<DownloadLookup, { name: string; owner: string }>((input) =>
      files.lookupDownload(input.name, input.owner),
    ),
    // A name holding the listing's separator would show in a listing as two names: it is refused, not stored.
    reserveUpload: fromPromise<UploadLookup, { name: string; owner: string }>(async ({ input }) =>
      input.name.includes(SEPARATOR)
        ? {
            kind: 'refused',
            code: 'name.separator',
            detail: `a name holding "${SEPARATOR}", which a listing separates names with`,
          }
        : files.reserveUpload(input.name, input.owner),
    ),
    list: fromPromise<string[]>(() => files.list()),
    source: fileSource(({ ref, size }) => files.read(ref, size)),
    sink: fileSink(({ ref }) => files.receive(ref)),
  };
}
