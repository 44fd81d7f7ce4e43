/**
 * pipeline, ecosystem style: `p-map` over the URLs with `{ concurrency }`;
 * each mapper downloads its page, then awaits its digest from the piscina
 * pool (or computes it on the loop with `parallelism` 0). While one mapper
 * waits for a digest the others keep downloading, so I/O and hashing overlap,
 * and at most `concurrency` bodies are held at once.
 */
import {
  abortedFailure,
  checkFetchInput,
  checkRunOptions,
  createHttpClient,
  deadline,
  failed,
  failureOf,
  type Outcome,
  type PipelineInput,
  type PipelineResult,
  type PipelineValue,
  type RunOptions,
  sha256Hex,
  success,
} from '@arena/core'
import pMap from 'p-map'
import { createPool } from './pool.ts'

/** Downloads every page and digests its body, overlapping the two. */
export async function pipeline(input: PipelineInput, options: RunOptions): Promise<PipelineResult> {
  const origin = checkFetchInput(input)
  const { concurrency, parallelism, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: concurrency })
  const pool = parallelism > 0 && !signal?.aborted ? createPool(parallelism) : undefined
  try {
    return await pMap(
      input.urls,
      async (url): Promise<Outcome<PipelineValue>> => {
        if (signal?.aborted) return failed(abortedFailure)
        const limit = deadline(timeoutMs, signal)
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
      },
      { concurrency },
    )
  } finally {
    const closing = Promise.all([client.close(), pool?.destroy()])
    // After an abort, terminating a thread that is still starting up can take a while; don't wait for it.
    if (!signal?.aborted) await closing
  }
}
