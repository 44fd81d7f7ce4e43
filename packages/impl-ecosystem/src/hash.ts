/**
 * hash, ecosystem style: with `parallelism` 0 the digests are computed on the
 * event loop, yielding between items so an abort is still heard; otherwise
 * every buffer goes to the kept piscina pool (see `pool.ts`) and the outcomes
 * are joined with `Promise.all`. An abort drops the call's queued tasks and
 * has piscina replace the threads running its tasks, so the pool stays usable.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import {
  abortedFailure,
  checkHashInput,
  failed,
  failureOf,
  type HashValue,
  type Outcome,
  sha256Hex,
  success,
} from '@arena/core'
import { oneShot, type Step } from './lifecycle.ts'

/** hash on the kept resources. */
export const hashOn: Step<'hash'> = {
  check: checkHashInput,
  async run(kept, { buffers }, { timeoutMs, signal }) {
    if (signal?.aborted) return buffers.map(() => failed(abortedFailure))
    const pool = kept.pool()
    if (!pool) {
      const results: Outcome<HashValue>[] = []
      for (const buffer of buffers) {
        results.push(
          signal?.aborted ? failed(abortedFailure) : success({ digest: sha256Hex(buffer) }),
        )
        await yieldToLoop()
      }
      return results
    }
    return Promise.all(
      buffers.map((buffer) =>
        pool.digest(buffer, timeoutMs, signal).then(
          (digest): Outcome<HashValue> => success({ digest }),
          (error: unknown) => failed(failureOf(error, signal)),
        ),
      ),
    )
  },
}

/** Digests every buffer; with `parallelism` ≥ 1 on that many piscina threads. */
export const hash = oneShot(hashOn)
