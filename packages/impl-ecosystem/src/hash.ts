/**
 * hash, ecosystem style: with `parallelism` 0 the digests are computed on the
 * event loop, yielding between items so an abort is still heard; otherwise
 * every buffer goes to a piscina pool of `parallelism` threads (see
 * `pool.ts`) and the outcomes are joined with `Promise.all`.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import {
  abortedFailure,
  checkHashInput,
  checkRunOptions,
  failed,
  failureOf,
  type HashInput,
  type HashResult,
  type HashValue,
  type Outcome,
  type RunOptions,
  sha256Hex,
  success,
} from '@arena/core'
import { createPool } from './pool.ts'

/** Digests every buffer; with `parallelism` ≥ 1 on that many piscina threads. */
export async function hash(input: HashInput, options: RunOptions): Promise<HashResult> {
  checkHashInput(input)
  const { parallelism, timeoutMs, signal } = checkRunOptions(options)
  if (parallelism === 0) {
    const results: Outcome<HashValue>[] = []
    for (const buffer of input.buffers) {
      results.push(
        signal?.aborted ? failed(abortedFailure) : success({ digest: sha256Hex(buffer) }),
      )
      await yieldToLoop()
    }
    return results
  }
  if (signal?.aborted) return input.buffers.map(() => failed(abortedFailure))
  const pool = createPool(parallelism)
  try {
    return await Promise.all(
      input.buffers.map((buffer) =>
        pool.digest(buffer, timeoutMs, signal).then(
          (digest): Outcome<HashValue> => success({ digest }),
          (error: unknown) => failed(failureOf(error, signal)),
        ),
      ),
    )
  } finally {
    // After an abort the outcomes are ready now; threads still starting up can take a
    // while to terminate, and nobody needs to wait for that.
    const closing = pool.destroy()
    if (!signal?.aborted) await closing
  }
}
