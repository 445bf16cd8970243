/**
 * Where an upload's bytes come from, and the size it announces before them. The protocol sends the size
 * first, so a source whose size stat cannot tell is copied whole to a temporary file first: standard input,
 * a named pipe, and, only up to UNSIZED_LIMIT, a file stat calls empty (a /proc or /sys file has content when
 * read) and a character device (/dev/null sends an empty file, as `curl -T /dev/null` does; /dev/zero, which
 * never ends, is refused). A regular file is read in place, and the read fails if it changes size.
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { errorCode } from '../storage/errors';
import { spoolInput, type SpooledInput } from '../storage/standard-streams';
import { isStandardStream } from '../storage/standard-stream-name';
import { formatBytes } from '../log/logger';
import { signalExitCode, signalWords } from './signal-words';

/** How much of a file that stat calls empty an upload copies before it gives up on it. */
export const UNSIZED_LIMIT = 64 * 1024 * 1024;

export type UploadSource =
  /** `info`: the file read in place; `spooled`: the temporary copy, to remove once sent. */
  | { path: string; size: number; info?: Stats; spooled?: SpooledInput }
  /** Why there is nothing to send, in one line. */
  | { problem: string };

const copied = (spooled: SpooledInput): UploadSource => ({ path: spooled.path, size: spooled.size, spooled });

/**
 * `input` copied to a temporary file (spoolInput). Ctrl-C or SIGTERM meanwhile, before any session has its own
 * handlers (stop-on-signal.ts), removes the copy, says so and exits as they do (130, 143): the copy of a pipe
 * that does not end was left in the temporary folder, however large it had grown.
 */
/** The line a signal leaves while the input is copied. */
export const whileCopyingWords = (signal: NodeJS.Signals) =>
  `upload interrupted (${signalWords(signal)}) while copying its input: nothing was sent, and the copy is removed`;

/** Says the line a signal leaves while the input is copied: plain, unless the caller says it its own way. */
type SayInterrupted = (signal: NodeJS.Signals) => void;
const sayPlain: SayInterrupted = (signal) => void process.stderr.write(`${whileCopyingWords(signal)}\n`);

async function spool(input: Readable, say: SayInterrupted, limit?: number): Promise<UploadSource> {
  const stop = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  // Held until the copy ends: a second signal meanwhile changes nothing (without a handler it killed the process,
  // the copy left behind).
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return copied(await spoolInput(input, limit, stop.signal));
  } catch (error) {
    if (!interrupted) throw error;
    say(interrupted);
    process.exit(signalExitCode(interrupted));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `say`: how the line a signal leaves while the input is copied is said (`--log-format json`: a JSON line). */
export async function uploadSource(localName: string, say = sayPlain): Promise<UploadSource> {
  if (isStandardStream(localName)) return spool(process.stdin, say);
  const path = resolve(localName);
  const info = await stat(path);
  if (info.isDirectory()) return { problem: `${localName} is a folder: name a file to upload` };
  if (info.isFIFO()) return spool(createReadStream(path), say);
  if (!info.isFile() && !info.isCharacterDevice())
    return { problem: `${localName} is a device, not a file: pipe what it gives into -l - to send that` };
  if (info.isFile() && info.size > 0) return { path, size: info.size, info };
  try {
    return await spool(createReadStream(path), say, UNSIZED_LIMIT);
  } catch (error) {
    if (errorCode(error) !== 'file.too_long') throw error;
    return {
      problem:
        `${localName} has no size (stat says 0 B) and holds more than ${formatBytes(UNSIZED_LIMIT)}: ` +
        'copy it to a file first, or pipe it into -l -',
    };
  }
}
