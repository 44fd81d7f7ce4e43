/**
 * hash on child processes, raw-promise style: with `parallelism` 0 the
 * digests are computed on the event loop, yielding between items so an abort
 * is still heard; otherwise every buffer is queued on the kept process pool at
 * once (the pool is the limit) and the outcomes are joined with `Promise.all`.
 * Each item's outcome is reported as it settles; an abort ends the call's
 * items at once and leaves the pool usable for the next call.
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
import { ProcessResources } from './process-resources.ts'

/** hash on what the processes variant keeps. */
export const hashProcessesOn: Step<ProcessResources, 'hash'> = {
  check: checkHashInput,
  async run(kept, { buffers }, { timeoutMs, signal, onOutcome, onStart }) {
    const report = (index: number, outcome: Outcome<HashValue>) => {
      onOutcome?.(index, outcome)
      return outcome
    }
    if (signal?.aborted) return buffers.map((_, i) => report(i, failed(abortedFailure)))
    const pool = kept.pool()
    if (!pool) {
      const results: Outcome<HashValue>[] = []
      for (const [index, buffer] of buffers.entries()) {
        if (signal?.aborted) results.push(report(index, failed(abortedFailure)))
        else {
          onStart?.(index)
          results.push(report(index, success({ digest: sha256Hex(buffer) })))
        }
        await yieldToLoop()
      }
      return results
    }
    return Promise.all(
      buffers.map((buffer, index) =>
        pool.run(buffer, { signal, timeoutMs, onTaken: onStart && (() => onStart(index)) }).then(
          (digest) => report(index, success({ digest })),
          (error: unknown) => report(index, failed(failureOf(error, signal))),
        ),
      ),
    )
  },
}

/** Digests every buffer; with `parallelism` ≥ 1 in that many child processes. */
export const hashProcesses = oneShot((options) => new ProcessResources(options), hashProcessesOn)
