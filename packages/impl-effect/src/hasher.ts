/**
 * The `Hasher` service: sha256 of one buffer, as an Effect. Two layers: on
 * the event loop (parallelism 0), yielding after each digest so an abort is
 * still heard; or on the worker pool of `pool.ts`, one buffer per task under
 * the run's deadline, started and terminated with the layer's scope.
 */
import { type RunOptions, sha256Hex } from '@arena/core'
import type * as Cause from 'effect/Cause'
import * as Context from 'effect/Context'
import * as Effect from 'effect/Effect'
import * as Layer from 'effect/Layer'
import type { WorkerCrashError } from './errors.ts'
import { makeWorkerPool } from './pool.ts'

/** Digests buffers. */
export class Hasher extends Context.Service<
  Hasher,
  {
    /** sha256 of `data` as 64 hex digits. On a worker, `data`'s buffer is transferred (detached here). */
    readonly digest: (
      data: Uint8Array,
    ) => Effect.Effect<string, WorkerCrashError | Cause.TimeoutError>
    /** How many digests it works on at once: more would only queue. */
    readonly concurrency: number
  }
>()('@arena/impl-effect/Hasher') {}

/** `Hasher` on the event loop. */
export const loopHasher: Layer.Layer<Hasher> = Layer.succeed(
  Hasher,
  Hasher.of({
    digest: (data) => Effect.sync(() => sha256Hex(data)).pipe(Effect.tap(Effect.yieldNow)),
    concurrency: 1,
  }),
)

/** `Hasher` on `size` worker threads, each digest under a deadline of `timeoutMs` once a thread takes it. */
export const workerHasher = (size: number, timeoutMs: number): Layer.Layer<Hasher> =>
  Layer.effect(
    Hasher,
    Effect.map(makeWorkerPool({ size, timeoutMs }), ({ digest }) =>
      Hasher.of({ digest, concurrency: size }),
    ),
  )

/** The `Hasher` for a run: the event loop for `parallelism` 0, else that many worker threads. */
export const hasherFor = ({ parallelism, timeoutMs }: RunOptions): Layer.Layer<Hasher> =>
  parallelism === 0 ? loopHasher : workerHasher(parallelism, timeoutMs)
