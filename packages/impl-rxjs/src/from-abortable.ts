/**
 * The bridge from core's promise-level primitives to Observables. A primitive
 * that takes an `AbortSignal` becomes a cold Observable: each subscription
 * starts one operation with its own `AbortController`, and unsubscribing (a
 * `timeout`, a `takeUntil`, the end of the run) aborts it, so cancellation
 * reaches the socket rather than merely ignoring a promise that runs on.
 */
import { Observable } from 'rxjs'

/**
 * Runs `start` once per subscription; emits its result and completes, or
 * errors with its rejection. Unsubscribing before it settles aborts its signal.
 */
export function fromAbortable<T>(start: (signal: AbortSignal) => PromiseLike<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController()
    let settled = false
    start(controller.signal).then(
      (value) => {
        settled = true
        subscriber.next(value)
        subscriber.complete()
      },
      (error: unknown) => {
        settled = true
        subscriber.error(error)
      },
    )
    return () => {
      // Aborting an operation that has settled would only dispatch a useless event per item.
      if (!settled) controller.abort()
    }
  })
}
