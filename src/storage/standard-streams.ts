/**
 * `-` as a client's local file, as nc and curl users expect: a download goes to
 * standard output, an upload comes from standard input. The protocols announce
 * a size before the bytes, so standard input is first copied to a temporary file.
 */
import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LocalFile } from './file-store';
import { WirestateError } from './errors';
import { streamWritten } from './stream-written';

/** A download's bytes written to `out` as they come; there is nothing to undo once they are out. */
export function standardOutput(out: Writable): LocalFile {
  return {
    hasRoomFor: () => true,
    read: () => {
      throw new Error('standard output cannot be read');
    },
    receive: () => ({
      stream: out,
      // A write that failed (`> /dev/full`: ENOSPC) fails the commit.
      commit: () => streamWritten(out, ''),
      abort: () => undefined,
    }),
  };
}

export interface SpooledInput {
  path: string;
  size: number;
  remove(): Promise<void>;
}

/**
 * Copies `input` to its end into a temporary file, so its size is known before the upload announces it;
 * past `limit` bytes it stops and fails (`file.too_long`), and when `signal` aborts it fails too: either way
 * leaving nothing behind.
 */
export async function spoolInput(input: Readable, limit = Infinity, signal?: AbortSignal): Promise<SpooledInput> {
  const folder = await mkdtemp(join(tmpdir(), 'wirestate-stdin-'));
  const path = join(folder, 'stdin');
  // However the process ends before the copy is removed (a signal's exit while the bytes are sent), it goes too.
  const removeAtExit = () => rmSync(folder, { recursive: true, force: true });
  process.once('exit', removeAtExit);
  const remove = () => {
    process.off('exit', removeAtExit);
    return rm(folder, { recursive: true, force: true });
  };
  let copied = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      copied += chunk.length;
      if (copied > limit) callback(new WirestateError('file.too_long', `more than ${limit} bytes`));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(input, bounded, createWriteStream(path), { signal });
    return { path, size: (await stat(path)).size, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
