/**
 * A server's log lines, written a batch at a time: a write per line cost a small request a syscall and a
 * wake-up of whatever reads the log (a pipe to journald, a terminal, the bench) three times per connection.
 * A line waits at most `BATCH_MS` (a sequence of small requests logs its three lines per connection in
 * different turns of the event loop: a batch per turn still wrote about one line at a time, 8% of a small
 * request's server CPU), so the lines logged meanwhile go out in one write. A warning or an error goes out
 * at once, after the lines before it; so does a batch past `MAX_BATCH`, and everything pending when the
 * process exits: `process.exit` (how every server ends on SIGINT or SIGTERM, serve.ts), the end of the
 * loop, an uncaught error (stdout to a file or a pipe is synchronous on Linux). Only SIGKILL can lose
 * lines: those of the last `BATCH_MS`. A log whose reader goes away (`server | head -1`: EPIPE) is not worth
 * a server: it says so once on stderr and serves on, logging nothing more.
 */
import { Writable } from 'node:stream';

/** The longest a line waits for the lines after it. */
const BATCH_MS = 10;
/** A batch this long is written without waiting. */
const MAX_BATCH = 64 * 1024;
/** Where winston (logform) keeps a line's formatted text. */
const MESSAGE = Symbol.for('message');
/** Lines that go out at once: what someone watching the log must not wait for. */
const URGENT: ReadonlySet<string> = new Set(['warn', 'error']);

/** A log line as winston hands it to an object-mode stream. */
interface LoggedLine {
  level: string;
  [MESSAGE]?: unknown;
}

export function batchedOutput(out: NodeJS.WritableStream): Writable {
  let pending = '';
  let scheduled: NodeJS.Timeout | undefined;
  let readerGone = false;
  const stopLogging = (error: NodeJS.ErrnoException) => {
    if (readerGone) return;
    readerGone = true;
    pending = '';
    process.stderr.write(
      `wirestate: the log's reader went away (${error.code ?? error.message}): serving on without a log\n`,
    );
  };
  out.on('error', stopLogging);
  const flush = () => {
    if (scheduled) clearTimeout(scheduled);
    scheduled = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    try {
      out.write(text);
    } catch (error) {
      stopLogging(error as NodeJS.ErrnoException);
    }
  };
  process.on('exit', flush);
  return new Writable({
    objectMode: true,
    write(line: LoggedLine, _encoding, done) {
      if (readerGone) {
        done();
        return;
      }
      pending += `${String(line[MESSAGE])}\n`;
      if (URGENT.has(line.level) || pending.length >= MAX_BATCH) flush();
      // Unreferenced: a process that has nothing else to do ends at once (and writes its lines on exit).
      else scheduled ??= setTimeout(flush, BATCH_MS).unref();
      done();
    },
  });
}
