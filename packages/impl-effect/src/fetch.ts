/**
 * fetch, Effect style: `Effect.forEach` over the URLs with `concurrency`
 * fibers at most, each GET under `Effect.timeout` (which interrupts the
 * request, aborting it), its typed errors settled into an outcome. The pool
 * is the `Http` layer's resource, closed when the program ends or is
 * interrupted by the run's signal.
 */
import {
  checkFetchInput,
  checkRunOptions,
  type FetchInput,
  type FetchResult,
  type FetchValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { identity } from 'effect/Function'
import type * as Layer from 'effect/Layer'
import { Http, sharedHttp } from './http.ts'
import { runOutcomes, settle } from './run.ts'

/** The `fetch` workload on the `Http` layer `http` builds for an origin and a pool size. */
export const fetchWith =
  (http: (origin: string, connections: number) => Layer.Layer<Http>) =>
  async (input: FetchInput, options: RunOptions): Promise<FetchResult> => {
    const origin = checkFetchInput(input)
    const { concurrency, timeoutMs, signal } = checkRunOptions(options)
    if (origin === undefined) return []
    return runOutcomes<FetchValue>(input.urls.length, signal, (record) =>
      Effect.gen(function* () {
        const { get } = yield* Http
        yield* Effect.forEach(
          input.urls,
          (url, index) =>
            get(url).pipe(
              Effect.timeout(timeoutMs),
              settle(identity),
              Effect.flatMap((outcome) => record(index, outcome)),
            ),
          { concurrency, discard: true },
        )
      }).pipe(Effect.provide(http(origin, concurrency))),
    )
  }

/** Downloads every URL with at most `concurrency` requests in flight. */
export const fetch = fetchWith(sharedHttp)
