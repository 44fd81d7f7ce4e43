/**
 * fetch, sequential style: a plain `for` loop that awaits each request before
 * starting the next, whatever `concurrency` asks (the variant declares
 * `concurrency: 1`). Each request has its own deadline (`AbortSignal.timeout`
 * joined to the run's signal); every failure is caught into an outcome.
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

/** Downloads every URL, one after the other. */
export async function fetch(input: FetchInput, options: RunOptions): Promise<FetchResult> {
  const origin = checkFetchInput(input)
  const { timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: 1 })
  const results: Outcome<FetchValue>[] = []
  try {
    for (const url of input.urls) {
      if (signal?.aborted) {
        results.push(failed(abortedFailure))
        continue
      }
      const limit = deadline(timeoutMs, signal)
      try {
        results.push(success(await client.get(url, { signal: limit })))
      } catch (error) {
        results.push(failed(failureOf(error, limit)))
      }
    }
    return results
  } finally {
    await client.close()
  }
}
