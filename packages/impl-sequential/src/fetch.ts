/**
 * fetch, sequential style: a plain `for` loop that awaits each request before
 * starting the next, whatever `concurrency` asks (the variant declares
 * `concurrency: 1`). Each request has its own deadline (`AbortSignal.timeout`
 * joined to the run's signal); every failure is caught into an outcome, and
 * each outcome is reported as the loop stores it.
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
  const { timeoutMs, signal, onStart, onOutcome } = checkRunOptions(options)
  if (origin === undefined) return []
  const client = createHttpClient({ origin, connections: 1 })
  const results: Outcome<FetchValue>[] = []
  try {
    for (const [index, url] of input.urls.entries()) {
      let outcome: Outcome<FetchValue> = failed(abortedFailure)
      if (!signal?.aborted) {
        const limit = deadline(timeoutMs, signal)
        onStart?.(index)
        try {
          outcome = success(await client.get(url, { signal: limit }))
        } catch (error) {
          outcome = failed(failureOf(error, limit))
        }
      }
      results.push(outcome)
      onOutcome?.(index, outcome)
    }
    return results
  } finally {
    await client.close()
  }
}
