/**
 * Ctrl-C (SIGINT) or SIGTERM while the command is still loading (Node reads wirestate's modules for a few tenths
 * of a second before any command can hold a handler of its own): without a handler, the signal killed the process
 * with no line, and a parent saw death by the signal rather than an exit code. Until the command holds its own
 * handler for that signal, this one says `wirestate: interrupted (Ctrl-C) before it started` (a JSON line with
 * `--log-format json`) and exits 130 or 143, as a shell reports those signals; nothing has been touched by then.
 * The first handler the command adds for a signal takes this one off, so that it meets the signal as it would
 * alone. Imported first by main.ts, before anything else loads.
 */
const EARLY_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

function interruptedBeforeStart(signal: NodeJS.Signals): void {
  const code = signal === 'SIGINT' ? 130 : 143;
  const message = `interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal}) before it started`;
  const args = process.argv.slice(2);
  const json =
    args.includes('--log-format=json') || args.some((arg, i) => arg === '--log-format' && args[i + 1] === 'json');
  const fields = { event: 'interrupted', exit_code: code, level: 'error', message, signal };
  process.stderr.write(
    json ? `${JSON.stringify({ ...fields, timestamp: new Date().toISOString() })}\n` : `wirestate: ${message}\n`,
  );
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
