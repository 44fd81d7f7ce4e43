/**
 * The limiter: maps items through an async function with at most
 * `concurrency` calls in flight. Raw-promise style, no library: `concurrency`
 * lanes, each an async loop taking the next index, all joined by
 * `Promise.all`. Results land at their input index, so order is preserved
 * whatever finishes first, and each is reported, when asked, as its lane
 * stores it: the done callback of that item.
 */
import type { Outcome, RunOptions } from '@arena/core'

/**
 * Calls `task(item, index)` for every item with at most `concurrency` calls in
 * flight and resolves with the results in input order; `onResult(index,
 * result)`, when given, is called as each result is stored. `task` must not
 * reject: the workloads turn every failure into an outcome.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
  onResult?: (index: number, result: R) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      const result = await task(items[index] as T, index)
      results[index] = result
      onResult?.(index, result)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane))
  return results
}

/** `outcome`, once handed to `onOutcome` when there is one: for outcomes stored outside the lanes. */
export function reported<T>(
  onOutcome: RunOptions['onOutcome'],
  index: number,
  outcome: Outcome<T>,
): Outcome<T> {
  onOutcome?.(index, outcome)
  return outcome
}
