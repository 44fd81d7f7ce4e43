/**
 * pipeline, `tuned` variant: `concurrency` long-lived lanes (`lanes`), each
 * downloading a page with its deadline inside its own callback (`attempt`),
 * on core's client of the URLs' origin (`Clients`), and then awaiting its
 * digest from the default `Hasher`, instead of the default's two-stage
 * stream. Interruption and the outcome boundary are the default ones.
 */
import {
  checkFetchInput,
  checkRunOptions,
  failed,
  type PipelineInput,
  type PipelineValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import { type Clients, clientOf, clients } from './clients.ts'
import { Hasher, hasherFor } from './hasher.ts'
import { attempt, lanes } from './lanes.ts'
import { type Call, oneShot, settle } from './run.ts'

/** The tuned `pipeline` program for `input`: validated now, started by whoever runs it. */
export const pipelineTunedCall = (
  input: PipelineInput,
  options: RunOptions,
): Call<PipelineValue, Clients | Hasher> => {
  // No URLs, no origin: a call with no items never runs its program.
  const origin = checkFetchInput(input) ?? ''
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs } = checked
  const { urls } = input
  const toValue = settle((digest: string) => ({ digest }))
  return {
    count: urls.length,
    options: checked,
    program: (record, start) =>
      Effect.gen(function* () {
        const client = yield* clientOf(origin)
        const { digest } = yield* Hasher
        yield* lanes(urls.length, concurrency, (index) =>
          attempt(timeoutMs, (signal) => client.getBody(urls[index] as string, { signal })).pipe(
            start(index),
            Effect.flatMap((page) =>
              page.ok
                ? toValue(digest(page.value.body, timeoutMs))
                : Effect.succeed(failed(page.failure)),
            ),
            Effect.flatMap((outcome) => record(index, outcome)),
          ),
        )
      }).pipe(Effect.scoped),
  }
}

/** `pipeline` on `concurrency` lanes, each downloading a page and then awaiting its digest. */
export const pipelineTuned = oneShot(pipelineTunedCall, ({ options }) =>
  Layer.merge(clients(options.concurrency), hasherFor(options.parallelism)),
)
