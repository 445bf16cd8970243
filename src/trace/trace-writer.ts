/**
 * Writes one connection's trace file (format: trace-format.ts) as things happen. A trace that cannot be
 * written on (a full disk, an I/O error) stops, with one warning, and its part is removed: the connection it
 * records goes on without it (a trace holds every byte, so a peer could otherwise fill the disk to end them all).
 */
import { createWriteStream, openSync, unlink, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { SessionOutcome } from '../engine/protocol';
import type { Logger } from '../log/logger';
import { errorCode } from '../storage/errors';
import { makeFolders } from '../storage/make-folders';
import { VERSION } from '../version';
import { TRACE_FORMAT, type TraceEntry, type TraceHeader } from './trace-format';

export type TraceSubject = Omit<TraceHeader, 'trace' | 'version' | 'started'>;
/** One entry's fields, without its time. */
type EntryFields = TraceEntry extends infer E ? (E extends unknown ? Omit<E, 't'> : never) : never;

export class TraceWriter {
  private readonly started = performance.now();
  /** The stream failed: nothing more is written. */
  private stopped = false;

  private constructor(
    private readonly stream: WriteStream,
    readonly path: string,
    warn: (line: string) => unknown,
  ) {
    stream.on('error', (error) => {
      this.stopped = true;
      stream.destroy();
      unlink(path, () => undefined);
      warn(`trace stopped and removed, the connection goes on without it: cannot write ${path} (${errorCode(error)})`);
    });
  }

  /**
   * Creates `dir` if needed and starts `<time>-<role>-<connection>.jsonl` in it (`<time>-<role>.jsonl` when they
   * are the same); throws at once if it cannot. A failure later is one line for `warn`.
   */
  static open(dir: string, subject: TraceSubject, warn: (line: string) => unknown): TraceWriter {
    makeFolders(dir);
    const started = new Date().toISOString();
    // A client's one connection is named after its role: `client`, not `client-client`.
    const who = subject.connection === subject.role ? subject.role : `${subject.role}-${subject.connection}`;
    const path = join(dir, `${started.replace(/[:.]/g, '-')}-${who}.jsonl`);
    const writer = new TraceWriter(createWriteStream(path, { fd: openSync(path, 'w') }), path, warn);
    const header: TraceHeader = { trace: TRACE_FORMAT, ...subject, version: VERSION, started };
    writer.stream.write(`${JSON.stringify(header)}\n`);
    return writer;
  }

  /** As `open`, but a trace that cannot start is one warning in `log`, and the connection goes on without it. */
  static openOrWarn(dir: string, subject: TraceSubject, log: Logger): TraceWriter | undefined {
    try {
      return TraceWriter.open(dir, subject, (line) => log.warn(line));
    } catch (error) {
      log.warn(`no trace for this connection: cannot write into ${dir} (${(error as Error).message})`);
      return undefined;
    }
  }

  in(chunk: Uint8Array): void {
    this.entry({ in: Buffer.from(chunk).toString('base64') });
  }

  out(chunk: Uint8Array): void {
    this.entry({ out: Buffer.from(chunk).toString('base64') });
  }

  state(state: string): void {
    this.entry({ state });
  }

  end(): void {
    this.entry({ end: 'peer' });
  }

  error(code: string): void {
    this.entry({ error: code });
  }

  /** Records how the connection ended and closes the file. */
  finish(outcome: SessionOutcome): Promise<void> {
    this.entry({ outcome });
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.stream.end(resolve));
  }

  private entry(fields: EntryFields): void {
    if (this.stopped) return;
    const t = Math.round((performance.now() - this.started) * 1000) / 1000;
    this.stream.write(`${JSON.stringify({ t, ...fields })}\n`);
  }
}
