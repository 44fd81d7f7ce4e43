/**
 * pipeline, `tuned` variant: `concurrency` long-lived lanes (`lanes`), each
 * downloading a page with its deadline inside its own callback (`attempt`)
 * and then awaiting its digest from the default `Hasher`, instead of the
 * default's two-stage stream. Resources, interruption and the outcome
 * boundary are the default ones.
 */
import {
  checkFetchInput,
  checkRunOptions,
  failed,
  type PipelineInput,
  type PipelineResult,
  type PipelineValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { Hasher, hasherFor } from './hasher.ts'
import { coreClient } from './http.ts'
import { attempt, lanes } from './lanes.ts'
import { runOutcomes, settle } from './run.ts'

/** `pipeline` on `concurrency` lanes, each downloading a page and then awaiting its digest. */
export async function pipelineTuned(
  input: PipelineInput,
  options: RunOptions,
): Promise<PipelineResult> {
  const origin = checkFetchInput(input)
  const { concurrency, timeoutMs, signal } = checkRunOptions(options)
  if (origin === undefined) return []
  const { urls } = input
  const toValue = settle((digest: string) => ({ digest }))
  return runOutcomes<PipelineValue>(urls.length, signal, (record) =>
    Effect.gen(function* () {
      const client = yield* coreClient(origin, concurrency)
      const { digest } = yield* Hasher
      yield* lanes(urls.length, concurrency, (index) =>
        attempt(timeoutMs, (signal) => client.getBody(urls[index] as string, { signal })).pipe(
          Effect.flatMap((page) =>
            page.ok ? toValue(digest(page.value.body)) : Effect.succeed(failed(page.failure)),
          ),
          Effect.flatMap((outcome) => record(index, outcome)),
        ),
      )
    }).pipe(Effect.scoped, Effect.provide(hasherFor(options))),
  )
}
