/**
 * fetch, `tuned` variant: the default program with fewer fibers per item, for
 * the row where Effect's per-item cost shows (see the README). `concurrency`
 * long-lived lanes (`lanes`) take the next URL until none is left, and each
 * GET has its deadline inside its own callback (`attempt`) instead of
 * `Effect.timeout`. Resources, interruption and the outcome boundary are the
 * default ones.
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
import { coreClient } from './http.ts'
import { attempt, lanes } from './lanes.ts'
import { runOutcomes } from './run.ts'

/** `fetch` on `concurrency` lanes. */
export async function fetchTuned(input: FetchInput, options: RunOptions): Promise<FetchResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const { urls } = input
  return runOutcomes<FetchValue>(urls.length, signal, (record) =>
    Effect.gen(function* () {
      const client = yield* coreClient(origin, concurrency)
      yield* lanes(urls.length, concurrency, (index) =>
        attempt(timeoutMs, (signal) => client.get(urls[index] as string, { signal })).pipe(
          Effect.flatMap((outcome) => record(index, outcome)),
        ),
      )
    }).pipe(Effect.scoped),
  )
}
