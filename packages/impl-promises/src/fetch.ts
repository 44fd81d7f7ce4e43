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
  type FetchValue,
  failed,
  failureOf,
  type Outcome,
  success,
} from '@arena/core'
import { clearedTimers, type Deadlines, timeoutSignals } from './deadlines.ts'
import { oneShot, type Step } from './lifecycle.ts'
import { mapConcurrent } from './limit.ts'
import { Resources } from './resources.ts'

/** fetch on what the variant keeps, each request under a deadline from `deadlines`. */
const fetchWith = (deadlines: Deadlines): Step<Resources, 'fetch'> => ({
  check: checkFetchInput,
  async run(kept, { urls }, { concurrency, timeoutMs, signal, onStart, onOutcome }) {
    const first = urls[0]
    if (first === undefined) return []
    const client = kept.client(new URL(first).origin)
    const get = async (url: string, index: number): Promise<Outcome<FetchValue>> => {
      if (signal?.aborted) return failed(abortedFailure)
      const limit = deadlines.open(timeoutMs, signal)
      onStart?.(index)
      try {
        return success(await client.get(url, { signal: limit }))
      } catch (error) {
        return failed(failureOf(error, limit))
      } finally {
        deadlines.release(limit)
      }
    }
    return mapConcurrent(urls, concurrency, get, onOutcome)
  },
})

/** fetch on what the variant keeps: the idiom's deadlines. */
export const fetchOn = fetchWith(timeoutSignals)
/** fetch on what the tuned variant keeps: cleared timers. */
export const fetchTunedOn = fetchWith(clearedTimers)

/** Downloads every URL with at most `concurrency` requests in flight. */
export const fetch = oneShot((options) => new Resources(options), fetchOn)
/** The same with each request's deadline a timer cleared when it ends. */
export const fetchTuned = oneShot((options) => new Resources(options), fetchTunedOn)
