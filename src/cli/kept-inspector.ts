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

/** Once a command has reported: waits for Ctrl-C while a kept page is up, then closes it. */
export async function holdKeptInspector(): Promise<void> {
  if (!kept) return;
  const page = kept;
  kept = undefined;
  // Listening before the note is out: a Ctrl-C sent on reading it must not meet Node's default (death by SIGINT).
  const interrupted = new Promise((resolve) => process.once('SIGINT', resolve));
  process.stderr.write(`finished; the inspector stays open on ${page.url} until you press Ctrl-C\n`);
  await interrupted;
  await page.close();
}
