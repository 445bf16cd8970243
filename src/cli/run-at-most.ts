/**
 * Runs `run` over every item with at most `limit` running at once; the results keep the items' order.
 * `run` may call `putBack()` before it returns: while another item is running, its item goes back to run once one
 * of them ends, and one fewer runs at once from then on (its result is dropped); with none other running, putBack
 * does nothing and returns false. Every put-back lowers the count at once, so an item goes back fewer than `limit` times.
 */
export async function runAtMost<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number, putBack: () => boolean) => Promise<R>,
) {
  const results: R[] = new Array<R>(items.length);
  const putBacks: number[] = [];
  let next = 0;
  let running = 0;
  const take = () => putBacks.pop() ?? (next < items.length ? next++ : undefined);
  const worker = async () => {
    for (let index = take(); index !== undefined; index = take()) {
      running++;
      let wentBack = false;
      const putBack = () => {
        if (wentBack || running === 1) return wentBack;
        wentBack = true;
        running--;
        putBacks.push(index);
        return true;
      };
      const result = await run(items[index], index, putBack);
      if (wentBack) return;
      running--;
      results[index] = result;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
