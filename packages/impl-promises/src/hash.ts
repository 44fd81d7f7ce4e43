/**
 * hash, raw-promise style: with `parallelism` 0 the digests are computed on
 * the event loop, yielding between items so an abort is still heard; otherwise
 * every buffer is queued on the kept worker pool at once (the pool is the
 * limit) and the outcomes are joined with `Promise.all`, each reported as its
 * task settles; an item starts when a worker takes its task. An abort drops
 * the call's queued tasks and replaces the workers running its tasks, so the
 * pool stays usable for the next call.
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
import { reported } from './limit.ts'
import { Resources } from './resources.ts'

/** hash on what the variant keeps. */
export const hashOn: Step<Resources, 'hash'> = {
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
        pool.run(buffer, { signal, timeoutMs, onTaken: onStart && (() => onStart(index)) }).then(
          (digest) => reported(onOutcome, index, success<HashValue>({ digest })),
          (error: unknown) => reported(onOutcome, index, failed(failureOf(error, signal))),
        ),
      ),
    )
  },
}

/** Digests every buffer; with `parallelism` ≥ 1 on that many worker threads. */
export const hash = oneShot((options) => new Resources(options), hashOn)
