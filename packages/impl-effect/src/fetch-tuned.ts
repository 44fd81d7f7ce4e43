/**
 * fetch, `tuned` variant: the default program with fewer fibers per item, for
 * the row where Effect's per-item cost shows (see the README). `concurrency`
 * long-lived lanes (`lanes`) take the next URL until none is left, and each
 * GET has its deadline inside its own callback (`attempt`) instead of
 * `Effect.timeout`, on core's client of the URLs' origin (`Clients`).
 * Interruption and the outcome boundary are the default ones.
 */
import {
  checkFetchInput,
  checkRunOptions,
  type FetchInput,
  type FetchValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { type Clients, clientOf, clients } from './clients.ts'
import { attempt, lanes } from './lanes.ts'
import { type Call, oneShot } from './run.ts'

/** The tuned `fetch` program for `input`: validated now, started by whoever runs it. */
export const fetchTunedCall = (
  input: FetchInput,
  options: RunOptions,
): Call<FetchValue, Clients> => {
  // No URLs, no origin: a call with no items never runs its program.
  const origin = checkFetchInput(input) ?? ''
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs } = checked
  const { urls } = input
  return {
    count: urls.length,
    options: checked,
    program: (record, start) =>
      Effect.gen(function* () {
        const client = yield* clientOf(origin)
        yield* lanes(urls.length, concurrency, (index) =>
          attempt(timeoutMs, (signal) => client.get(urls[index] as string, { signal })).pipe(
            start(index),
            Effect.flatMap((outcome) => record(index, outcome)),
          ),
        )
      }).pipe(Effect.scoped),
  }
}

/** `fetch` on `concurrency` lanes. */
export const fetchTuned = oneShot(fetchTunedCall, ({ options }) => clients(options.concurrency))
