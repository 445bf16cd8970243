/**
 * A kept part's last bytes, handed to its stream but not yet on the disk, are written once more, synchronously,
 * before the process exits if that stream has not closed by then: an exit on a signal (stop-on-signal.ts) does not
 * wait for the disk, and a part without them would hold less than the interrupted line says (or nothing at all).
 * The signal's handler writes them before it says its lines (`writeKeptParts`), to say which part the disk did not
 * take whole; any left are written at the exit itself. Bytes written twice at the same place are the same bytes.
 */
import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { errorCode } from './errors';
import type { UnwrittenBytes } from './file-store';

/** A part the disk did not take whole: its path, why (an errno code), and how many of its first bytes it holds. */
export interface PartCut {
  path: string;
  code: string;
  kept: number;
}

/** Each writes its part's bytes and forgets them; says how it failed, if it did. */
const pending = new Set<() => PartCut | undefined>();

/** Writes every kept part's bytes still on their way, now; returns the parts the disk did not take whole. */
export function writeKeptParts(): PartCut[] {
  const cuts = [...pending].map((write) => write());
  return cuts.filter((cut) => cut !== undefined);
}

const writeAtExit = () => void writeKeptParts();

/** Where the stream's bytes end, counted from its first: those written and those on their way. */
export const unwrittenEnd = ({ at, chunks }: UnwrittenBytes): number =>
  chunks.reduce((end, chunk) => end + chunk.length, at);

/** A part open as `fd` at `path`, its stream's first byte at `start` of it. */
export interface OpenPart {
  path: string;
  fd: number;
  start: number;
}

/** `unwritten` go to the part (positional writes) before the process exits, if it exits before `stream` closes. */
export function writtenAtExit({ path, fd, start }: OpenPart, unwritten: UnwrittenBytes, stream: Writable): void {
  if (unwritten.chunks.length === 0) return;
  const { dev, ino } = fstatSync(fd);
  const forget = () => {
    pending.delete(write);
    if (pending.size === 0) process.off('exit', writeAtExit);
  };
  const write = (): PartCut | undefined => {
    forget();
    let position = start + unwritten.at;
    try {
      // Closed and given to another file meanwhile, the number is no longer this part's.
      const now = fstatSync(fd);
      if (now.dev !== dev || now.ino !== ino) return undefined;
      for (const chunk of unwritten.chunks)
        for (let done = 0; done < chunk.length;) {
          const written = writeSync(fd, chunk, done, chunk.length - done, position);
          done += written;
          position += written;
        }
      return undefined;
    } catch (error) {
      const code = errorCode(error);
      // Closed: the stream wrote every byte before it closed the file.
      return code === 'EBADF' ? undefined : { path, code, kept: position };
    }
  };
  if (pending.size === 0) process.on('exit', writeAtExit);
  pending.add(write);
  stream.once('close', forget);
}
