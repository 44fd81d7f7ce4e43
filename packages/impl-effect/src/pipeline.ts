/**
 * pipeline, Effect style: a `Stream` of the URLs through two concurrent
 * stages. Downloads run `concurrency` at a time and hashing as many at a
 * time as the `Hasher` works on (`parallelism` worker threads, or the event
 * loop), with a bounded buffer between them, so I/O and hashing overlap while
 * at most about `3 × concurrency` bodies are held at once (downloading or
 * done, buffered, and the chunk the hashing stage has pulled). Both
 * stages are unordered: each element carries its input index, and a slow
 * page never holds up the ones behind it. A failed download skips hashing.
 */
import {
  checkFetchInput,
  checkRunOptions,
  failed,
  type Outcome,
  type PipelineInput,
  type PipelineValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { identity } from 'effect/Function'
import * as Layer from 'effect/Layer'
import * as Stream from 'effect/Stream'
import { Hasher, hasherFor } from './hasher.ts'
import { Http, sharedHttp } from './http.ts'
import { type HttpPools, httpPools, onOrigin } from './http-pools.ts'
import { type Call, oneShot, settle } from './run.ts'

/** The `pipeline` program for `input`: validated now, started by whoever runs it. */
export const pipelineCall = (
  input: PipelineInput,
  options: RunOptions,
): Call<PipelineValue, HttpPools | Hasher> => {
  // No URLs, no origin: a call with no items never runs its program.
  const origin = checkFetchInput(input) ?? ''
  const checked = checkRunOptions(options)
  const { concurrency, timeoutMs } = checked
  return {
    count: input.urls.length,
    options: checked,
    program: (record, start) =>
      Effect.gen(function* () {
        const { getBody } = yield* Http
        const { digest, concurrency: hashing } = yield* Hasher
        const hashBody = (body: Outcome<Uint8Array>): Effect.Effect<Outcome<PipelineValue>> =>
          body.ok
            ? digest(body.value, timeoutMs).pipe(settle((digest) => ({ digest })))
            : Effect.succeed(failed(body.failure))
        yield* Stream.fromIterable(input.urls).pipe(
          Stream.mapEffect(
            (url, index) =>
              getBody(url).pipe(
                start(index),
                Effect.timeout(timeoutMs),
                settle(identity),
                Effect.map((body) => ({ index, body })),
              ),
            { concurrency, unordered: true },
          ),
          Stream.buffer({ capacity: concurrency }),
          Stream.mapEffect(
            ({ index, body }) =>
              hashBody(body).pipe(Effect.flatMap((outcome) => record(index, outcome))),
            { concurrency: hashing, unordered: true },
          ),
          Stream.runDrain,
        )
      }).pipe(onOrigin(origin)),
  }
}

/** Downloads every page and digests its body, overlapping the two. */
export const pipeline = oneShot(pipelineCall, ({ options }) =>
  Layer.merge(httpPools(sharedHttp, options.concurrency), hasherFor(options.parallelism)),
)

/** `pipeline` with its digests on a pool of child processes (the `processes` variant). */
export const pipelineProcesses = oneShot(pipelineCall, ({ options }) =>
  Layer.merge(
    httpPools(sharedHttp, options.concurrency),
    hasherFor(options.parallelism, 'processes'),
  ),
)
