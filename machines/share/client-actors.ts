/** The share client's effects over its one local file, as the actors its machine declares (client.ts). */
import { fileSink, fileSource } from '../../src/engine/file-actors';
import type { ShareLocalFile } from './client';

/** For `shareClientMachine.provide({ actors: shareClientActors(local) })`. */
export function shareClientActors(local: ShareLocalFile) {
  return {
    source: fileSource(({ size }) => local.read(size)),
    sink: fileSink(() => local.receive()),
  };
}
