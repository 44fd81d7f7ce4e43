/**
 * fetch, ecosystem style: `p-map` over the URLs with `{ concurrency }`, each
 * request under its own deadline (`AbortSignal.timeout` joined to the run's
 * signal). The mapper never throws: every failure is caught into an outcome,
 * so p-map always resolves with one outcome per URL, in input order.
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
import pMap from 'p-map'

/** Downloads every URL with at most `concurrency` requests in flight. */
export async function fetch(input: FetchInput, options: RunOptions): Promise<FetchResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: concurrency })
  try {
    return await pMap(
      input.urls,
      async (url): Promise<Outcome<FetchValue>> => {
        if (signal?.aborted) return failed(abortedFailure)
        const limit = deadline(timeoutMs, signal)
        try {
          return success(await client.get(url, { signal: limit }))
        } catch (error) {
          return failed(failureOf(error, limit))
        }
      },
      { concurrency },
    )
  } finally {
    await client.close()
  }
}
