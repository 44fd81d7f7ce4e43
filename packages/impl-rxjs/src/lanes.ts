/**
 * The tuned variant's replacement for {@link mapOutcomes}: the same contract,
 * run as `concurrency` lanes instead of one `mergeMap` over every item. Each
 * lane takes the next index from a shared cursor and, with `expand`, takes
 * another as soon as its item has an outcome. Nothing is buffered and only
 * `concurrency` long-lived subscriptions hang off the merge, which removes
 * two costs `mergeMap` pays per item on a large input (measured in the
 * README): taking each waiting item off the front of its buffer with
 * `Array.prototype.shift`, which copies the rest of a large array, and
 * removing each finished inner subscription from its parent with
 * `indexOf` + `splice` over up to `concurrency` siblings.
 */
import { failed, failureOf, type RunOptions, success } from '@arena/core'
import { catchError, defer, EMPTY, expand, map, merge, type Observable, of } from 'rxjs'
import type { Indexed } from './outcomes.ts'

/**
 * As `mapOutcomes`, in lanes, `onStart(index)` called as a lane takes the
 * item. `work(item)` must emit asynchronously, as every primitive here does:
 * a lane takes its next item inside the previous item's emission, so
 * synchronous items would nest one stack frame per item.
 */
export function mapOutcomesInLanes<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Observable<R>,
  onStart?: RunOptions['onStart'],
): Observable<Indexed<R>> {
  return defer(() => {
    let next = 0
    const takeNext = (): Observable<Indexed<R>> => {
      if (next >= items.length) return EMPTY
      const index = next++
      onStart?.(index)
      return work(items[index] as T).pipe(
        map((value): Indexed<R> => [index, success(value)]),
        catchError((error: unknown) => of<Indexed<R>>([index, failed(failureOf(error))])),
      )
    }
    const lanes = Math.min(concurrency, items.length)
    return merge(...Array.from({ length: lanes }, () => takeNext().pipe(expand(takeNext))))
  })
}
