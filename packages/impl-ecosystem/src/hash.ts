/**
 * hash, ecosystem style: with `parallelism` 0 the digests are computed on the
 * event loop, yielding between items so an abort is still heard; otherwise
 * every buffer goes to the kept piscina pool (see `pool.ts`) and the outcomes
 * are joined with `Promise.all`, each reported as its task settles; an item
 * starts when a free thread is handed its task. An abort drops the call's
 * queued tasks and has piscina replace the threads running its tasks, so the
 * pool stays usable.
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
import { reported } from './outcomes.ts'

/** hash on the kept resources. */
export const hashOn: Step<'hash'> = {
  check: checkHashInput,
  async run(kept, { buffers }, { timeoutMs, signal, onStart, onOutcome }) {
    if (signal?.aborted)
      return buffers.map((_, index) => reported(onOutcome, index, failed(abortedFailure)))
    const pool = kept.pool()
    if (!pool) {
      const results: Outcome<HashValue>[] = []
      for (const [index, buffer] of buffers.entries()) {
        let outcome: Outcome<HashValue> = failed(abortedFailure)
        if (!signal?.aborted) {
          onStart?.(index)
          outcome = success({ digest: sha256Hex(buffer) })
        }
        results.push(reported(onOutcome, index, outcome))
        await yieldToLoop()
      }
      return results
    }
    return Promise.all(
      buffers.map((buffer, index) =>
        pool.digest(buffer, timeoutMs, signal, onStart && (() => onStart(index))).then(
          (digest) => reported(onOutcome, index, success<HashValue>({ digest })),
          (error: unknown) => reported(onOutcome, index, failed(failureOf(error, signal))),
        ),
      ),
    )
  },
}

/** Digests every buffer; with `parallelism` ≥ 1 on that many piscina threads. */
export const hash = oneShot(hashOn)
