/**
 * What the inspector's browser tests (src/inspect/*.browser.test.ts) share: the bench of inspector-browser.ts
 * (a transfer server with `--inspect`, the stammer proxy in front of it, chromium at 1400 x 900), started
 * before a test file's tests and stopped after them.
 */
import { startInspectorBench, type InspectorBench, type Pace } from './inspector-browser';

export { ARTIFACTS } from './inspector-browser';

/** Enough to see a 16 MiB transfer in flight, short enough for a test. */
const TEST_PACE: Pace = { maxFragment: 65536, maxDelayMs: 3 };

/** Starts the bench before a test file's tests and stops it after them; its fields are set once they start. */
export function inspectorBench(): InspectorBench {
  let stop: (() => Promise<void>) | undefined;
  const bench = {} as InspectorBench;
  beforeAll(async () => {
    const started = await startInspectorBench(TEST_PACE);
    stop = started.stop;
    Object.assign(bench, started.bench);
    // Well inside the test's own timeout, so that a wait that fails says what the page showed.
    bench.page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await stop?.();
  });
  return bench;
}
