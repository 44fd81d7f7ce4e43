/**
 * Run options: the knobs every workload takes. The contestant's concurrency
 * model honours them; the primitives in core never schedule anything.
 */
import type { Outcome } from './outcome.ts'
import { expectInteger, expectObject } from './validate.ts'

/** How a workload is run. */
export interface RunOptions {
  /** Maximum operations (requests, connects) in flight at once; 1 and up. */
  readonly concurrency: number
  /** Worker threads for CPU work; 0 runs it on the event loop. */
  readonly parallelism: number
  /** Deadline of one operation, in milliseconds: a whole request including its body, one connect, one hash task once a worker has started it. */
  readonly timeoutMs: number
  /** Aborts the whole run: unfinished items end as `aborted`. */
  readonly signal?: AbortSignal
  /**
   * Called once per item, as soon as that item's outcome is known (as
   * completed, not in input order): exactly once for every item — aborted ones
   * included — and always before the call's promise settles, never after.
   * The course's done callback / `as_completed`.
   */
  readonly onOutcome?: (index: number, outcome: Outcome<unknown>) => void
  /**
   * Called when an item's operation begins (it has left any queue: a request
   * is sent, a connect started, a hash task taken by a worker), at most once
   * per item and before its `onOutcome`; items that never start (aborted in
   * the queue) get none. Client-side latency is from here to `onOutcome`.
   */
  readonly onStart?: (index: number) => void
}

/** Largest accepted `concurrency`. */
export const MAX_CONCURRENCY = 100_000
/** Largest accepted `parallelism` (worker threads). */
export const MAX_PARALLELISM = 256
/** Largest accepted `timeoutMs` (one hour). */
export const MAX_TIMEOUT_MS = 3_600_000

/**
 * Validates run options and returns them.
 * @throws TypeError naming the field, the accepted range and the value received
 */
export function checkRunOptions(options: unknown): RunOptions {
  const o = expectObject('options', options)
  expectInteger('options.concurrency', o.concurrency, 1, MAX_CONCURRENCY)
  expectInteger('options.parallelism', o.parallelism, 0, MAX_PARALLELISM)
  expectInteger('options.timeoutMs', o.timeoutMs, 1, MAX_TIMEOUT_MS)
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new TypeError('Expected options.signal to be an AbortSignal or undefined')
  }
  for (const hook of ['onOutcome', 'onStart'] as const)
    if (o[hook] !== undefined && typeof o[hook] !== 'function')
      throw new TypeError(`Expected options.${hook} to be a function or undefined`)
  return o as unknown as RunOptions
}
