/**
 * A kept part's last bytes, handed to its stream but not yet on the disk, are written once more, synchronously, if
 * the process exits before that stream has closed: an exit on a signal (stop-on-signal.ts) does not wait for the
 * disk, and a part without them would hold less than the interrupted line says (or nothing at all). Bytes written
 * twice at the same place are the same bytes.
 */
import { fstatSync, writeSync, type WriteStream } from 'node:fs';
import type { UnwrittenBytes } from './file-store';

const atExit = new Set<() => void>();
const writeAll = () => {
  for (const write of atExit) write();
};

/** Where the stream's bytes end, counted from its first: those written and those on their way. */
export const unwrittenEnd = ({ at, chunks }: UnwrittenBytes): number =>
  chunks.reduce((end, chunk) => end + chunk.length, at);

/** `unwritten` go to `fd` (opened at the stream's byte `start`, positional writes) if the process exits before `stream` closes. */
export function writtenAtExit(fd: number, start: number, { at, chunks }: UnwrittenBytes, stream: WriteStream): void {
  if (chunks.length === 0) return;
  const { dev, ino } = fstatSync(fd);
  const write = () => {
    try {
      // Closed and given to another file meanwhile, the number is no longer this part's.
      const now = fstatSync(fd);
      if (now.dev !== dev || now.ino !== ino) return;
      let position = start + at;
      for (const chunk of chunks) position += writeSync(fd, chunk, 0, chunk.length, position);
    } catch {
      // Closed: the stream wrote every byte before it closed the file.
    }
  };
  if (atExit.size === 0) process.on('exit', writeAll);
  atExit.add(write);
  stream.once('close', () => {
    atExit.delete(write);
    if (atExit.size === 0) process.off('exit', writeAll);
  });
}
