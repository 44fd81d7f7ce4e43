/**
 * From items to outcomes, the RxJS way: `from(items)` through
 * `mergeMap(work, concurrency)`, each item's errors caught into its own
 * outcome so one failure never tears down the others, and the results,
 * which arrive in completion order, placed back at their input index. The
 * run's `AbortSignal` ends the stream with `takeUntil`; unsubscribing cancels
 * everything still in flight, and every item without an outcome by then is
 * `aborted`. The run's per-item callbacks hang off the same stream: `onStart`
 * as `mergeMap` takes an item off its buffer, `onOutcome` as a `tap` on the
 * merged outcomes (the hybrid's batches from its threads included) and for
 * each item the abort left empty, so every item reports once, and before the
 * array is emitted.
 */
import {
  abortedFailure,
  failed,
  failureOf,
  type Outcome,
  type RunOptions,
  success,
} from '@arena/core'
import {
  catchError,
  defer,
  from,
  fromEvent,
  identity,
  map,
  mergeMap,
  NEVER,
  type Observable,
  type OperatorFunction,
  of,
  reduce,
  take,
  takeUntil,
  tap,
} from 'rxjs'

/** One item's outcome, tagged with the item's position in the input. */
export type Indexed<T> = readonly [index: number, outcome: Outcome<T>]

/**
 * Subscribes `work(item)` for every item with at most `concurrency`
 * subscribed at once, and emits each item's outcome with its input index as
 * it arrives: the first value of `work(item)` is a success, an error is a
 * failure classified by core's `failureOf`, caught here so that it ends only
 * its own item. `onStart(index)`, when given, is called as `work(item)` is
 * subscribed: for a workload whose operation begins there (a request, a
 * connect); one that waits inside `work` (for a worker) reports its start itself.
 */
export function mapOutcomes<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Observable<R>,
  onStart?: RunOptions['onStart'],
): Observable<Indexed<R>> {
  return from(items).pipe(
    mergeMap((item, index) => {
      // mergeMap calls this only when it subscribes the inner, i.e. once the item leaves its buffer.
      onStart?.(index)
      return work(item, index).pipe(
        map((value): Indexed<R> => [index, success(value)]),
        catchError((error: unknown) => of<Indexed<R>>([index, failed(failureOf(error))])),
      )
    }, concurrency),
  )
}

/** Emits once `signal` aborts, at once if it already has; never without a signal. */
function abortOf(signal: AbortSignal | undefined): Observable<unknown> {
  if (signal === undefined) return NEVER
  // fromEvent alone would wait forever on a signal that aborted before the subscription.
  return defer(() =>
    signal.aborted ? of(signal.reason) : fromEvent(signal, 'abort').pipe(take(1)),
  )
}

/**
 * Collects `count` indexed outcomes into one array in input order, emitted
 * when the source completes or `signal` aborts, whichever comes first. An
 * abort unsubscribes the source, and every position still empty is `aborted`.
 * With an already aborted signal the source is never subscribed. Each outcome
 * goes to `onOutcome`, when given, as it arrives, and each aborted one just
 * before the array is emitted; after that the source is unsubscribed, so
 * nothing can report late.
 */
export function inInputOrder<T>(
  count: number,
  { signal, onOutcome }: Pick<RunOptions, 'signal' | 'onOutcome'>,
): OperatorFunction<Indexed<T>, Outcome<T>[]> {
  // Without a callback, no operator at all: the hot path is what it was.
  const report = onOutcome
    ? tap<Indexed<T>>(([index, outcome]) => onOutcome(index, outcome))
    : identity
  return (source) =>
    defer(() =>
      source.pipe(
        takeUntil(abortOf(signal)),
        report,
        reduce((results, [index, outcome]) => {
          results[index] = outcome
          return results
        }, new Array<Outcome<T> | undefined>(count)),
        map((results) =>
          Array.from(results, (outcome, index) => {
            if (outcome) return outcome
            const aborted = failed<T>(abortedFailure)
            onOutcome?.(index, aborted)
            return aborted
          }),
        ),
      ),
    )
}
