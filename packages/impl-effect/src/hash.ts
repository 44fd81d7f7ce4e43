/**
 * hash, Effect style: `Effect.forEach` over the buffers through the
 * `Hasher` service, as many at once as the hasher works on. With
 * `parallelism` 0 that is the event loop, one buffer at a time; otherwise the
 * worker pool of `pool.ts`, each task under the run's deadline once a thread
 * takes it, and a thread that crashes or hangs failing only its own item.
 * The pool's scope terminates the threads when the run ends or is aborted.
 */
import {
  checkHashInput,
  checkRunOptions,
  type HashInput,
  type HashResult,
  type HashValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import type * as Layer from 'effect/Layer'
import { Hasher, hasherFor } from './hasher.ts'
import { runOutcomes, settle } from './run.ts'

/** The `hash` workload on the `Hasher` layer `hasher` builds for a run's options. */
export const hashWith =
  (hasher: (options: RunOptions) => Layer.Layer<Hasher>) =>
  async (input: HashInput, options: RunOptions): Promise<HashResult> => {
    checkHashInput(input)
    const { signal } = checkRunOptions(options)
    return runOutcomes<HashValue>(input.buffers.length, signal, (record) =>
      Effect.gen(function* () {
        const { digest, concurrency } = yield* Hasher
        yield* Effect.forEach(
          input.buffers,
          (buffer, index) =>
            digest(buffer).pipe(
              settle((digest) => ({ digest })),
              Effect.flatMap((outcome) => record(index, outcome)),
            ),
          { concurrency, discard: true },
        )
      }).pipe(Effect.provide(hasher(options))),
    )
  }

/** Digests every buffer; with `parallelism` ≥ 1 on that many worker threads. */
export const hash = hashWith(hasherFor)
