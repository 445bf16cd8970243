/** The transfer client's effects over its one local file, as the actors its machine declares (client.ts). */
import { fromPromise } from 'xstate';
import { fileSink, fileSource, type BulkOptions } from '../../src/engine/file-actors';
import type { LocalFile } from '../../src/storage/file-store';

/**
 * Bytes a client's sink buffers towards the disk: four times a server's default (WRITE_BUFFER), which is sized
 * for many uploads at once, where a client has few transfers. With 1 MiB the disk's latency made the sink say it
 * was full in the middle of two reads in five of a bulk download, whose rest the frame pump then had to copy out
 * of the lent read buffer (lent-reads.ts): about 45% of the file copied once more, into new memory each time.
 */
const CLIENT_WRITE_BUFFER = 4 * 1024 * 1024;
/**
 * Bytes a client's source reads, and writes onto the wire, at a time: four times the default (READ_CHUNK), so an
 * upload makes a quarter of the trips through the thread pool and of the socket writes.
 */
const CLIENT_READ_CHUNK = 1024 * 1024;

/** For `transferClientMachine.provide({ actors: clientActors(local) })`. */
export function clientActors(local: LocalFile, options: BulkOptions = {}) {
  const bulk = { writeBuffer: CLIENT_WRITE_BUFFER, readChunk: CLIENT_READ_CHUNK, ...options };
  return {
    checkRoom: fromPromise<boolean, { size: number }>(({ input }) => local.hasRoomFor(input.size)),
    source: fileSource(({ size }) => local.read(size), bulk),
    sink: fileSink(({ tag, start = 0 }) => local.receive(tag === undefined ? undefined : { tag, start }), bulk),
  };
}
