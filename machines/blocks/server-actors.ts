/** The blocks server's effects over a folder, as the actors its machine declares (server.ts). */
import { fromAnswer } from '../../src/engine/from-answer';
import { fileSource } from '../../src/engine/file-actors';
import type { DownloadLookup } from '../../src/storage/file-store';
import { BLOCK_SIZE } from './codec';
import type { BlocksFiles } from './server';

/** For `blocksServerMachine.provide({ actors: blocksServerActors(files) })`: the file is read in blocks. */
export function blocksServerActors(files: BlocksFiles) {
  return {
    lookup: fromAnswer<DownloadLookup, { name: string; owner: string }>((input) =>
      files.lookupDownload(input.name, input.owner),
    ),
    source: fileSource(({ ref, size }) => files.read(ref, size), { readChunk: BLOCK_SIZE }),
  };
}
