/**
 * A client's inspector page, kept up once the client's work is done and reported, until Ctrl-C: the
 * command's result line comes first, then the note that the page stays open.
 */

interface KeptPage {
  url: string;
  close(): Promise<void>;
}

let kept: KeptPage | undefined;

/** Keeps `page` open past the session that served it; `holdKeptInspector` closes it. */
export function keepInspector(page: KeptPage): void {
  kept = page;
}

/** Once a command has reported: waits for Ctrl-C while a kept page is up, then closes it and ends the process. */
export async function holdKeptInspector(): Promise<void> {
  if (!kept) return;
  const page = kept;
  kept = undefined;
  // Listening before the note is out, and to the exit: a Ctrl-C sent on reading it, or a burst of them, must not
  // meet Node's default (death by SIGINT). The first closes the page; those that come during the close change
  // nothing. Then the process ends at once, with the command's exit code: left to end by itself, it spends a few
  // milliseconds tearing down with Node's default back in place, and a Ctrl-C of the same burst would kill it.
  const interrupted = new Promise<void>((resolve) => process.on('SIGINT', () => resolve()));
  process.stderr.write(`finished; the inspector stays open on ${page.url} until you press Ctrl-C\n`);
  await interrupted;
  await page.close();
  process.exit();
}
