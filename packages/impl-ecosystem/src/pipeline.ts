/**
 * pipeline, ecosystem style: `p-map` over the URLs with `{ concurrency }`;
 * each mapper downloads its page, then awaits its digest from the kept
 * piscina pool (or computes it on the loop with `parallelism` 0). While one
 * mapper waits for a digest the others keep downloading, so I/O and hashing
 * overlap, and at most `concurrency` bodies are held at once. An item starts
 * with its request; the mapper reports its outcome once digested (or failed).
 */
import {
  abortedFailure,
  checkFetchInput,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type PipelineValue,
  sha256Hex,
  success,
} from '@arena/core'
import pMap from 'p-map'
import { oneShot, type Step } from './lifecycle.ts'
import { reporting } from './outcomes.ts'

/** pipeline on the kept resources. */
export const pipelineOn: Step<'pipeline'> = {
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    // Started before the first download, so a one-shot call's threads load while pages arrive.
    const pool = signal?.aborted ? undefined : kept.pool()
    return pMap(
      urls,
      reporting(onOutcome, async (url, index): Promise<Outcome<PipelineValue>> => {
        if (signal?.aborted) return failed(abortedFailure)
        const limit = deadline(timeoutMs, signal)
        onStart?.(index)
        let body: Uint8Array
        try {
          ;({ body } = await client.getBody(url, { signal: limit }))
        } catch (error) {
          return failed(failureOf(error, limit))
        }
        try {
          return success({
            digest: pool ? await pool.digest(body, timeoutMs, signal) : sha256Hex(body),
          })
        } catch (error) {
          return failed(failureOf(error, signal))
        }
      }),
      { concurrency },
    )
  },
}

/** Downloads every page and digests its body, overlapping the two. */
export const pipeline = oneShot(pipelineOn)
