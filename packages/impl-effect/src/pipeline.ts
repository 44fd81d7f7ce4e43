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
  type PipelineResult,
  type PipelineValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { identity } from 'effect/Function'
import * as Layer from 'effect/Layer'
import * as Stream from 'effect/Stream'
import { Hasher, hasherFor } from './hasher.ts'
import { Http, sharedHttp } from './http.ts'
import { runOutcomes, settle } from './run.ts'

/** The `pipeline` workload on the layers `http` and `hasher` build for a run. */
export const pipelineWith =
  (
    http: (origin: string, connections: number) => Layer.Layer<Http>,
    hasher: (options: RunOptions) => Layer.Layer<Hasher>,
  ) =>
  async (input: PipelineInput, options: RunOptions): Promise<PipelineResult> => {
    const origin = checkFetchInput(input)
    const { concurrency, timeoutMs, signal } = checkRunOptions(options)
    if (origin === undefined) return []
    return runOutcomes<PipelineValue>(input.urls.length, signal, (record) =>
      Effect.gen(function* () {
        const { getBody } = yield* Http
        const { digest, concurrency: hashing } = yield* Hasher
        const hashBody = (body: Outcome<Uint8Array>): Effect.Effect<Outcome<PipelineValue>> =>
          body.ok
            ? digest(body.value).pipe(settle((digest) => ({ digest })))
            : Effect.succeed(failed(body.failure))
        yield* Stream.fromIterable(input.urls).pipe(
          Stream.mapEffect(
            (url, index) =>
              getBody(url).pipe(
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
      }).pipe(Effect.provide(Layer.merge(http(origin, concurrency), hasher(options)))),
    )
  }

/** Downloads every page and digests its body, overlapping the two. */
export const pipeline = pipelineWith(sharedHttp, hasherFor)
