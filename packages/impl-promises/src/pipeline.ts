/**
 * pipeline, raw-promise style: `concurrency` lanes, each downloading a page and
 * then awaiting its digest from the kept worker pool (or computing it on the
 * loop with `parallelism` 0). While one lane waits for a digest the others keep
 * downloading, so I/O and hashing overlap, and at most `concurrency` bodies are
 * held at once. An item starts with its request and is reported once digested
 * (or failed), as its lane stores it.
 */
import {
  abortedFailure,
  checkFetchInput,
  failed,
  failureOf,
  type Outcome,
  type PipelineValue,
  sha256Hex,
  success,
} from '@arena/core'
import { clearedTimers, type Deadlines, timeoutSignals } from './deadlines.ts'
import { oneShot, type Step } from './lifecycle.ts'
import { mapConcurrent } from './limit.ts'
import { Resources } from './resources.ts'

/** pipeline on what the variant keeps, each download under a deadline from `deadlines`. */
const pipelineWith = (deadlines: Deadlines): Step<Resources, 'pipeline'> => ({
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    // Started before the first download, so a one-shot call's workers load while pages arrive.
    const pool = signal?.aborted ? undefined : kept.pool()
    const item = async (url: string, index: number): Promise<Outcome<PipelineValue>> => {
      if (signal?.aborted) return failed(abortedFailure)
      const limit = deadlines.open(timeoutMs, signal)
      onStart?.(index)
      let body: Uint8Array
      try {
        ;({ body } = await client.getBody(url, { signal: limit }))
      } catch (error) {
        return failed(failureOf(error, limit))
      } finally {
        deadlines.release(limit)
      }
      try {
        return success({
          digest: pool ? await pool.run(body, { signal, timeoutMs }) : sha256Hex(body),
        })
      } catch (error) {
        return failed(failureOf(error, signal))
      }
    }
    return mapConcurrent(urls, concurrency, item, onOutcome)
  },
})

/** pipeline with the idiom's deadlines. */
export const pipelineOn = pipelineWith(timeoutSignals)
/** pipeline with cleared timers. */
export const pipelineTunedOn = pipelineWith(clearedTimers)

/** Downloads every page and digests its body, overlapping the two. */
export const pipeline = oneShot((options) => new Resources(options), pipelineOn)
/** The same with each download's deadline a timer cleared when it ends. */
export const pipelineTuned = oneShot((options) => new Resources(options), pipelineTunedOn)
