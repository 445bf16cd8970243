/** The blocks client's effects over its one local file, as the actors its machine declares (client.ts). */
import { fromPromise } from 'xstate';
import { fileSink } from '../../src/engine/file-actors';
import type { LocalFile } from '../../src/storage/file-store';

/** `local` is where the file goes: it appears only once complete, and only if the announced size fits. */
export function blocksClientActors(local: Pick<LocalFile, 'receive' | 'hasRoomFor'>) {
  return {
    checkRoom: fromPromise<boolean, { size: number }>(async ({ input }) => local.hasRoomFor(input.size)),
    sink: fileSink(() => local.receive()),
  };
}
