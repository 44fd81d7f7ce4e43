/**
 * The tuned variant's one change: a map that hands each result on as soon as
 * it is ready, instead of Node's ordered `map`, which holds finished results
 * behind an unfinished head and stops starting new items once
 * `2 × concurrency − 1` are waiting. This one keeps exactly `concurrency`
 * calls in flight for as long as items remain, so a slow item costs one slot,
 * not the whole window. It calls `fn` in input order, as `map` does, so the
 * `Ledger` numbers items the same way, and its stream is a `Readable`, like
 * `map`'s, so the stages still end in `pipeline`. On an abort it starts
 * nothing more and ends once the calls in flight (each under a deadline
 * joined to the same signal) have answered.
 */
import { Readable } from 'node:stream'

/** Options of {@link mapUnordered}, as those of `Readable.prototype.map`. */
export interface UnorderedOptions {
  /** Calls of `fn` in flight at once, 1 and up. */
  readonly concurrency: number
  /** Stops starting new calls; the stream ends once those in flight have answered. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Maps `source` through `fn` with `concurrency` calls in flight, yielding
 * results in the order they finish. `fn` should not reject (the workloads turn
 * every failure into an outcome); if it does, the stream errors with it.
 */
export function mapUnordered<T, R>(
  source: AsyncIterable<T>,
  fn: (item: T) => Promise<R>,
  { concurrency, signal }: UnorderedOptions,
): Readable {
  async function* unordered(): AsyncGenerator<R> {
    const iterator = source[Symbol.asyncIterator]()
    const finished: R[] = []
    let thrown: { error: unknown } | undefined
    let running = 0
    let exhausted = false
    let wake: (() => void) | undefined
    const settled = () => {
      running--
      wake?.()
      wake = undefined
    }
    try {
      while (true) {
        while (!exhausted && running < concurrency && !signal?.aborted) {
          const next = await iterator.next()
          if (next.done) exhausted = true
          else {
            running++
            fn(next.value).then(
              (result) => {
                finished.push(result)
                settled()
              },
              (error: unknown) => {
                thrown ??= { error }
                settled()
              },
            )
          }
        }
        if (thrown) throw thrown.error
        if (finished.length > 0) yield finished.shift() as R
        else if (running === 0 && (exhausted || signal?.aborted)) return
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      await iterator.return?.()
    }
  }
  return Readable.from(unordered())
}
