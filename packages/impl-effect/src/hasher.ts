/**
 * The `Hasher` service: sha256 of one buffer, as an Effect. Two layers: on
 * the event loop (parallelism 0), yielding after each digest so an abort is
 * still heard; or on the worker pool of `pool.ts`, one buffer per task under
 * the call's deadline, its threads started and terminated with the layer's
 * scope — one call's, or an open instance's.
 */
import { sha256Hex } from '@arena/core'
import type * as Cause from 'effect/Cause'
import * as Context from 'effect/Context'
import * as Effect from 'effect/Effect'
import { identity } from 'effect/Function'
import * as Layer from 'effect/Layer'
import type { WorkerCrashError } from './errors.ts'
import { makeWorkerPool, type WorkerKind } from './pool.ts'
import type { Starting } from './run.ts'

/** Digests buffers. */
export class Hasher extends Context.Service<
  Hasher,
  {
    /**
     * sha256 of `data` as 64 hex digits, within `timeoutMs` once a thread takes it (on the event
     * loop a digest cannot be cut short). On a worker, `data`'s buffer is transferred (detached here).
     * `starting` wraps the digest itself, once a thread (or the loop) takes it.
     */
    readonly digest: (
      data: Uint8Array,
      timeoutMs: number,
      starting?: Starting,
    ) => Effect.Effect<string, WorkerCrashError | Cause.TimeoutError>
    /** How many digests it works on at once: more would only queue. */
    readonly concurrency: number
    /** Succeeds once it can work at full width: every worker thread loaded. */
    readonly ready: Effect.Effect<void, WorkerCrashError>
  }
>()('@arena/impl-effect/Hasher') {}

const loopHasher: Layer.Layer<Hasher> = Layer.succeed(
  Hasher,
  Hasher.of({
    digest: (data, _timeoutMs, starting = identity) =>
      Effect.sync(() => sha256Hex(data)).pipe(starting, Effect.tap(Effect.yieldNow)),
    concurrency: 1,
    ready: Effect.void,
  }),
)

const workerHasher = (size: number, kind: WorkerKind): Layer.Layer<Hasher> =>
  Layer.effect(
    Hasher,
    Effect.map(makeWorkerPool(size, kind), ({ digest, ready }) =>
      Hasher.of({ digest, concurrency: size, ready }),
    ),
  )

/** The `Hasher` for `parallelism`: the event loop for 0, else that many workers of `kind` (threads unless told). */
export const hasherFor = (
  parallelism: number,
  kind: WorkerKind = 'threads',
): Layer.Layer<Hasher> => (parallelism === 0 ? loopHasher : workerHasher(parallelism, kind))
