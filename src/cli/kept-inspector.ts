/**
 * A client's inspector page, kept up once the client's work is done and reported, until Ctrl-C (or SIGTERM): the
 * command's result line comes first, then the note that the page stays open.
 */

interface KeptPage {
  url: string;
  close(): Promise<void>;
}

let kept: KeptPage | undefined;
/** Settles on the first SIGINT or SIGTERM once a page is kept. */
let stopped: Promise<void> | undefined;

/**
 * Keeps `page` open past the session that served it; `holdKeptInspector` closes it. From here to the exit, a
 * signal never meets Node's default (death by signal, the run's code lost): one between the session's end and the
 * hold is the Ctrl-C the hold waits for (stop-on-signal.ts, with no transfer left, leaves it to this handler).
 * While a transfer runs, those handlers stop it as ever.
 */
export function keepInspector(page: KeptPage): void {
  kept = page;
  stopped ??= new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
}

/** Once a command has reported: waits for Ctrl-C while a kept page is up, then closes it and ends the process. */
export async function holdKeptInspector(): Promise<void> {
  if (!kept || !stopped) return;
  const page = kept;
  kept = undefined;
  // A burst of signals changes nothing more: the first closes the page. Then the process ends at once, with the
  // command's exit code: left to end by itself, it spends a few milliseconds tearing down with Node's default back
  // in place, and a signal of the same burst would kill it.
  process.stderr.write(`finished; the inspector stays open on ${page.url} until you press Ctrl-C\n`);
  await stopped;
  await page.close();
  process.exit();
}
