/**
 * pipeline, raw-promise style: `concurrency` lanes, each downloading a page and
 * then awaiting its digest from the worker pool (or computing it on the loop
 * with `parallelism` 0). While one lane waits for a digest the others keep
 * downloading, so I/O and hashing overlap, and at most `concurrency` bodies are
 * held at once.
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
import { mapConcurrent } from './limit.ts'
import { WorkerPool } from './pool.ts'

/** Downloads every page and digests its body, overlapping the two. */
export async function pipeline(input: PipelineInput, options: RunOptions): Promise<PipelineResult> {
  const origin = checkFetchInput(input)
  const { concurrency, parallelism, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: concurrency })
  const pool = parallelism > 0 && !signal?.aborted ? new WorkerPool(parallelism) : undefined
  const stop = () => void pool?.close()
  signal?.addEventListener('abort', stop, { once: true })
  try {
    return await mapConcurrent(
      input.urls,
      concurrency,
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
            digest: pool ? await pool.run(body, { signal, timeoutMs }) : sha256Hex(body),
          })
        } catch (error) {
          return failed(failureOf(error, signal))
        }
      },
    )
  } finally {
    signal?.removeEventListener('abort', stop)
    const closing = Promise.all([client.close(), pool?.close()])
    // After an abort, terminating a worker that is still starting up can take a while; don't wait for it.
    if (!signal?.aborted) await closing
  }
}
