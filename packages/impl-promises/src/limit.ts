/**
 * The limiter: maps items through an async function with at most
 * `concurrency` calls in flight. Raw-promise style, no library: `concurrency`
 * lanes, each an async loop taking the next index, all joined by
 * `Promise.all`. Results land at their input index, so order is preserved
 * whatever finishes first.
 */

/**
 * Calls `task(item, index)` for every item with at most `concurrency` calls in
 * flight and resolves with the results in input order. `task` must not reject:
 * the workloads turn every failure into an outcome.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane))
  return results
}
