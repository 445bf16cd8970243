/** Runs `run` over every item with at most `limit` running at once; the results keep the items' order. */
export async function runAtMost<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
