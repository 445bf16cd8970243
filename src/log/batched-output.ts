/**
 * A server's log lines, written a batch at a time: each line a write of its own cost a small request a
 * syscall and, worse, a wake-up of whatever reads the log (a pipe to journald, a terminal, the bench)
 * three times per connection. Lines wait at most `flushMs`, and are written at once when the process
 * exits (`process.exit` included: stdout is synchronous on Linux), so none is lost but to SIGKILL.
 */
import { Writable } from 'node:stream';

/** How long a log line may wait for others to join it. */
export const LOG_FLUSH_MS = 20;
/** A batch this long is written without waiting. */
const MAX_BATCH = 64 * 1024;

export function batchedOutput(out: { write(text: string): unknown }, flushMs = LOG_FLUSH_MS): Writable {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  process.on('exit', flush);
  return new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      pending += chunk;
      if (pending.length >= MAX_BATCH) flush();
      else timer ??= setTimeout(flush, flushMs).unref();
      done();
    },
    final(done) {
      flush();
      done();
    },
  });
}
