/**
 * fetch, Effect style: `Effect.forEach` over the URLs with `concurrency`
 * fibers at most, each GET under `Effect.timeout` (which interrupts the
 * request, aborting it), its typed errors settled into an outcome. The GETs
 * go through the `Http` of the URLs' origin from `HttpPools`: the one-shot
 * workload builds it for the call and closes it after; an open instance
 * keeps it.
 */
import {
  checkFetchInput,
  checkRunOptions,
  type FetchInput,
  type FetchValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { identity } from 'effect/Function'
import { Http, sharedHttp } from './http.ts'
import { type HttpPools, httpPools, onOrigin } from './http-pools.ts'
import { type Call, oneShot, settle } from './run.ts'

/** The `fetch` program for `input`: validated now, started by whoever runs it. */
export const fetchCall = (input: FetchInput, options: RunOptions): Call<FetchValue, HttpPools> => {
  // No URLs, no origin: a call with no items never runs its program.
  const origin = checkFetchInput(input) ?? ''
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs } = checked
  return {
    count: input.urls.length,
    options: checked,
    program: (record, start) =>
      Effect.gen(function* () {
        const { get } = yield* Http
        yield* Effect.forEach(
          input.urls,
          (url, index) =>
            get(url).pipe(
              start(index),
              Effect.timeout(timeoutMs),
              settle(identity),
              Effect.flatMap((outcome) => record(index, outcome)),
            ),
          { concurrency, discard: true },
        )
      }).pipe(onOrigin(origin)),
  }
}

/** Downloads every URL with at most `concurrency` requests in flight. */
export const fetch = oneShot(fetchCall, ({ options }) => httpPools(sharedHttp, options.concurrency))
