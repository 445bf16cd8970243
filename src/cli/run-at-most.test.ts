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

it('runs a put-back item again once another ends, with one fewer at once from then on', async () => {
  const items = Array.from({ length: 12 }, (_, index) => index);
  const runs: number[] = [];
  let running = 0;
  let mostAfter = 0;
  let putBackDone = false;
  const results = await runAtMost(items, 4, async (item, _index, putBack) => {
    running++;
    if (putBackDone) mostAfter = Math.max(mostAfter, running);
    runs.push(item);
    for (let turn = 0; turn < 3; turn++) await Promise.resolve();
    running--;
    // The first try of item 1 is refused (a server at its limit): three others are running.
    if (item === 1 && runs.filter((run) => run === 1).length === 1) {
      expect(putBack()).toBe(true);
      putBackDone = true;
      return -1;
    }
    return item * 10;
  });
  expect(results).toEqual(items.map((item) => item * 10));
  expect(runs.filter((run) => run === 1)).toHaveLength(2);
  expect(mostAfter).toBe(3);
});

it('puts nothing back when no other item is running: the result stands', async () => {
  const answers: boolean[] = [];
  const results = await runAtMost([1, 2, 3], 2, async (item, _index, putBack) => {
    await Promise.resolve();
    answers.push(putBack());
    return item;
  });
  // Two run at once: the first to end goes back (the other still runs); from then on each is alone.
  expect(answers).toEqual([true, false, false, false]);
  expect(results).toEqual([1, 2, 3]);
});
