/** The transfer client's effects over its one local file, as the actors its machine declares (client.ts). */
import { fromPromise } from 'xstate';
import { fileSink, fileSource, type BulkOptions } from '../../src/engine/file-actors';
import type { LocalFile } from '../../src/storage/file-store';

/** For `transferClientMachine.provide({ actors: clientActors(local) })`. */
export function clientActors(local: LocalFile, bulk: BulkOptions = {}) {
  return {
    checkRoom: fromPromise<boolean, { size: number }>(({ input }) => local.hasRoomFor(input.size)),
    source: fileSource(({ size }) => local.read(size), bulk),
    sink: fileSink(({ tag, start = 0 }) => local.receive(tag === undefined ? undefined : { tag, start }), bulk),
  };
}
