/**
 * fetch, ecosystem style: `p-map` over the URLs with `{ concurrency }`, each
 * request under its own deadline (`AbortSignal.timeout` joined to the run's
 * signal) on the kept client of the URLs' origin. The mapper never throws:
 * every failure is caught into an outcome, so p-map always resolves with one
 * outcome per URL, in input order; the mapper reports each as it resolves.
 */
import {
  abortedFailure,
  checkFetchInput,
  deadline,
  type FetchValue,
  failed,
  failureOf,
  type Outcome,
  success,
} from '@arena/core'
import pMap from 'p-map'
import { oneShot, type Step } from './lifecycle.ts'
import { reporting } from './outcomes.ts'

/** fetch on the kept resources. */
export const fetchOn: Step<'fetch'> = {
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    return pMap(
      urls,
      reporting(onOutcome, async (url, index): Promise<Outcome<FetchValue>> => {
        if (signal?.aborted) return failed(abortedFailure)
        const limit = deadline(timeoutMs, signal)
        onStart?.(index)
        try {
          return success(await client.get(url, { signal: limit }))
        } catch (error) {
          return failed(failureOf(error, limit))
        }
      }),
      { concurrency },
    )
  },
}

/** Downloads every URL with at most `concurrency` requests in flight. */
export const fetch = oneShot(fetchOn)
