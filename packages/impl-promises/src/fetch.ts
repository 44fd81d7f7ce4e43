/**
 * fetch, raw-promise style: `concurrency` lanes over the URLs, each request
 * under its own deadline (`AbortSignal.timeout` joined to the run's signal
 * with `AbortSignal.any`), every failure caught into an outcome, reported as
 * its lane stores it. The requests go through the kept keep-alive client of
 * the URLs' origin.
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
import { oneShot, type Step } from './lifecycle.ts'
import { mapConcurrent } from './limit.ts'
import { Resources } from './resources.ts'

/** fetch on what the variant keeps. */
export const fetchOn: Step<Resources, 'fetch'> = {
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    const get = async (url: string, index: number): Promise<Outcome<FetchValue>> => {
      if (signal?.aborted) return failed(abortedFailure)
      const limit = deadline(timeoutMs, signal)
      onStart?.(index)
      try {
        return success(await client.get(url, { signal: limit }))
      } catch (error) {
        return failed(failureOf(error, limit))
      }
    }
    return mapConcurrent(urls, concurrency, get, onOutcome)
  },
}

/** Downloads every URL with at most `concurrency` requests in flight. */
export const fetch = oneShot((options) => new Resources(options), fetchOn)
