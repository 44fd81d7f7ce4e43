/**
 * fetch, raw-promise style: `concurrency` lanes over the URLs, each request
 * under its own deadline (`AbortSignal.timeout` joined to the run's signal
 * with `AbortSignal.any`), every failure caught into an outcome.
 */
import {
  abortedFailure,
  checkFetchInput,
  checkRunOptions,
  createHttpClient,
  deadline,
  type FetchInput,
  type FetchResult,
  type FetchValue,
  failed,
  failureOf,
  type Outcome,
  type RunOptions,
  success,
} from '@arena/core'
import { mapConcurrent } from './limit.ts'

/** Downloads every URL with at most `concurrency` requests in flight. */
export async function fetch(input: FetchInput, options: RunOptions): Promise<FetchResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: concurrency })
  try {
    return await mapConcurrent(
      input.urls,
      concurrency,
      async (url): Promise<Outcome<FetchValue>> => {
        if (signal?.aborted) return failed(abortedFailure)
        const limit = deadline(timeoutMs, signal)
        try {
          return success(await client.get(url, { signal: limit }))
        } catch (error) {
          return failed(failureOf(error, limit))
        }
      },
    )
  } finally {
    await client.close()
  }
}
