/** Bytes already in memory (tests, replay, generated content) as a file to send: each read copies the next of them. */
import type { OutgoingFile } from './file-store';

export function outgoingBytes(chunks: Iterable<Buffer>): OutgoingFile {
  const pieces = chunks[Symbol.iterator]();
  let current: Buffer = Buffer.alloc(0);
  let offset = 0;
  return {
    read: (into) => {
      let filled = 0;
      while (filled < into.length) {
        if (offset === current.length) {
          const next = pieces.next();
          if (next.done) break;
          current = next.value;
          offset = 0;
          continue;
        }
        const copied = current.copy(into, filled, offset);
        filled += copied;
        offset += copied;
      }
      return Promise.resolve(filled);
    },
    close: () => undefined,
  };
}
