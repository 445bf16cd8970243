/** The transfer client's effects over its one local file, as the actors and actions its machine declares (client.ts). */
import { assign } from 'xstate';
import { fileSink, fileSource, type BulkOptions } from '../../src/engine/file-actors';
import type { LocalFile } from '../../src/storage/file-store';
import type { ClientContext, ClientEvent, RoomAnswer } from './client';

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

/** For `transferClientMachine.provide({ actors: clientActors(local), actions: clientRoomCheck(local) })`. */
export function clientActors(local: LocalFile, options: BulkOptions = {}) {
  const bulk = { writeBuffer: CLIENT_WRITE_BUFFER, readChunk: CLIENT_READ_CHUNK, ...options };
  return {
    source: fileSource(({ size }) => local.read(size), bulk),
    sink: fileSink(({ tag, start = 0 }) => local.receive(tag === undefined ? undefined : { tag, start }), bulk),
  };
}

/**
 * For `transferClientMachine.provide({ actions: clientRoomCheck(local) })`: whether the download the server
 * announced fits, asked of the local file within the machine's step. A resumed download needs room for the rest
 * only: the kept bytes are on disk already. A check that throws is kept as its error.
 */
export function clientRoomCheck(local: Pick<LocalFile, 'hasRoomFor'>) {
  return {
    checkDownloadRoom: assign<ClientContext, ClientEvent, unknown, ClientEvent, never>(({ context }) => {
      let room: RoomAnswer;
      try {
        room = local.hasRoomFor(context.size - (context.start ?? 0));
      } catch (error) {
        room = { error };
      }
      return { room };
    }),
  };
}
