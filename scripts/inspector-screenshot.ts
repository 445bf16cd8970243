/// <reference lib="dom" />
/**
 * Retakes docs/inspector.png, the README's picture of the inspector: the browser tests' bench (a transfer
 * server with `--inspect` and a 16 MiB `big.bin`, the stammer proxy in front of it, Debian's chromium at
 * 1400 x 900), the proxy slowed so that the download is caught halfway, its progress bar part-filled.
 *
 *   npm run inspector-screenshot
 */
import { join } from 'node:path';
import { REPO, wirestate } from '../src/test-support/processes';
import { startInspectorBench } from '../src/test-support/inspector-browser';

const PICTURE = join(REPO, 'docs', 'inspector.png');
/** Small pieces: the download takes seconds, long enough to catch it between these shares of the file. */
const PACE = { maxFragment: 4096, maxDelayMs: 3 };
const CAUGHT = { from: 0.3, to: 0.8 };

async function main(): Promise<void> {
  const { bench, stop } = await startInspectorBench(PACE);
  try {
    const { page, inspectorUrl, base, proxyPort, explained } = bench;
    page.setDefaultTimeout(60_000);
    await page.goto(inspectorUrl);
    await page.waitForSelector('#status:text-is("live")');
    const download = wirestate([
      'client',
      '-q',
      '-s',
      `127.0.0.1:${proxyPort}`,
      '-v',
      'big.bin',
      '-l',
      join(base, 'got.bin'),
    ]);
    await explained(
      page.waitForFunction(
        ({ from, to }) => {
          const bar = document.querySelector<HTMLProgressElement>('#progress-bar');
          return bar !== null && bar.value >= from && bar.value <= to;
        },
        CAUGHT,
        { polling: 50 },
      ),
    );
    await page.screenshot({ path: PICTURE });
    const finished = await download;
    if (finished.code !== 0) throw new Error(`the download exited ${String(finished.code)}: ${finished.stderr}`);
    console.log(`wrote ${PICTURE}`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
