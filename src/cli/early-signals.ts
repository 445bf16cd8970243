/**
 * Ctrl-C (SIGINT) or SIGTERM while the command is still loading (Node reads wirestate's modules for a few tenths
 * of a second before any command can hold a handler of its own): without a handler, the signal killed the process
 * with no line, and a parent saw death by the signal rather than an exit code. Until the command holds its own
 * handler for that signal, this one says `wirestate: interrupted (Ctrl-C) before it started` (a JSON line with
 * `--log-format json`; on stdout for a server, whose lines all go there; a client's `--json` object with `outcome`
 * `not_started`) and exits 130 or 143, as a shell reports those signals; nothing has been touched by then.
 * The first handler the command adds for a signal takes this one off, so that it meets the signal as it would
 * alone. Imported first by main.ts, before anything else loads.
 */
import { signalExitCode, signalWords } from './signal-words';

const EARLY_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The command's first words: a server's lines go to stdout, a client's to stderr (README: Server). */
const LOGS_ON_STDOUT = ['server', 'serve-all', 'proxy'];

function interruptedBeforeStart(signal: NodeJS.Signals): void {
  const code = signalExitCode(signal);
  const message = `interrupted (${signalWords(signal)}) before it started`;
  const args = process.argv.slice(2);
  const json =
    args.includes('--log-format=json') || args.some((arg, i) => arg === '--log-format' && args[i + 1] === 'json');
  const fields = { event: 'interrupted', exit_code: code, level: 'error', message, signal };
  const words = args.filter((arg) => !arg.startsWith('-')).slice(0, 2);
  const log = words.some((word) => LOGS_ON_STDOUT.includes(word)) ? process.stdout : process.stderr;
  log.write(
    json ? `${JSON.stringify({ ...fields, timestamp: new Date().toISOString() })}\n` : `wirestate: ${message}\n`,
  );
  // A client's --json object, as for a command line refused before any session.
  if (args.includes('--json')) {
    const result = { ok: false, outcome: 'not_started', code: 'client.signal', detail: message, bytes: 0 };
    process.stdout.write(
      `${JSON.stringify({ ...result, duration_ms: Math.round(performance.now()), exit_code: code })}\n`,
    );
  }
  process.exit(code);
}

/** Taken off once the command's own handler is on (`newListener` comes before it is): never a moment with none. */
function handOver(event: string | symbol): void {
  if (!EARLY_SIGNALS.includes(event as NodeJS.Signals)) return;
  queueMicrotask(() => {
    process.off(event, interruptedBeforeStart);
    if (EARLY_SIGNALS.every((signal) => !process.listeners(signal).includes(interruptedBeforeStart)))
      process.off('newListener', handOver);
  });
}

for (const signal of EARLY_SIGNALS) process.on(signal, interruptedBeforeStart);
process.on('newListener', handOver);
