/** `--parallel N`: never more than N files in flight, every file run once, results in the files' order. */
import { runAtMost } from './run-at-most';

it.each([1, 3, 8, 20])('keeps at most %i running and returns the results in order', async (limit) => {
  let running = 0;
  let most = 0;
  const items = Array.from({ length: 17 }, (_, index) => index);
  const results = await runAtMost(items, limit, async (item) => {
    running++;
    most = Math.max(most, running);
    // Let the others start before this one ends, so the limit is what holds them back.
    for (let turn = 0; turn < 1 + (item % 4); turn++) await Promise.resolve();
    running--;
    return item * 10;
  });
  expect(results).toEqual(items.map((item) => item * 10));
  expect(most).toBe(Math.min(limit, items.length));
});
