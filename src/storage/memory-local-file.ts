/** A client's local file in memory, for machine tests and trace replay. */
import { Writable } from 'node:stream';
import type { LocalFile } from './file-store';
import { outgoingBytes } from './outgoing-bytes';

export interface MemoryLocalFile extends LocalFile {
  /** What a download committed, if anything. */
  readonly stored: Buffer | undefined;
}

export function memoryLocalFile(content: Buffer = Buffer.alloc(0), room = Number.MAX_SAFE_INTEGER): MemoryLocalFile {
  let stored: Buffer | undefined;
  return {
    get stored() {
      return stored;
    },
    hasRoomFor: (size) => size <= room,
    read: (size) => outgoingBytes([content.subarray(0, size)]),
    // A resumed download's kept bytes are NULs: a replay knows no more of them.
    receive: (kept) => {
      const prefix = Buffer.alloc(kept?.start ?? 0);
      const chunks: Buffer[] = [prefix];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(Buffer.from(chunk)); // a copy: a writer may reuse its buffer once this callback has run
          callback();
        },
      });
      return {
        stream,
        ...(prefix.length > 0 && { kept: outgoingBytes([prefix]) }),
        commit: async () => void (stored = Buffer.concat(chunks)),
        abort: () => undefined,
      };
    },
  };
}
