/**
 * Run options: the knobs every workload takes. The contestant's concurrency
 * model honours them; the primitives in core never schedule anything.
 */
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
  return o as unknown as RunOptions
}
