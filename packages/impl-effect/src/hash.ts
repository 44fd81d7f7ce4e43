/**
 * hash, Effect style: `Effect.forEach` over the buffers through the
 * `Hasher` service, as many at once as the hasher works on. With
 * `parallelism` 0 that is the event loop, one buffer at a time; otherwise the
 * worker pool of `pool.ts`, each task under the call's deadline once a thread
 * takes it, and a thread that crashes or hangs failing only its own item.
 * The one-shot workload starts the pool for the call and terminates its
 * threads when the call ends or is aborted; an open instance keeps it.
 */
import {
  checkHashInput,
  checkRunOptions,
  type HashInput,
  type HashValue,
  type RunOptions,
} from '@arena/core'
import * as Effect from 'effect/Effect'
import { Hasher, hasherFor } from './hasher.ts'
import { type Call, oneShot, settle } from './run.ts'

/** The `hash` program for `input`: validated now, started by whoever runs it. */
export const hashCall = (input: HashInput, options: RunOptions): Call<HashValue, Hasher> => {
  checkHashInput(input)
  const checked = checkRunOptions(options)
  return {
    count: input.buffers.length,
    options: checked,
    program: (record, start) =>
      Effect.gen(function* () {
        const { digest, concurrency } = yield* Hasher
        yield* Effect.forEach(
          input.buffers,
          (buffer, index) =>
            // A task starts when a thread takes it, which only the hasher knows.
            digest(buffer, checked.timeoutMs, start(index)).pipe(
              settle((digest) => ({ digest })),
              Effect.flatMap((outcome) => record(index, outcome)),
            ),
          { concurrency, discard: true },
        )
      }),
  }
}

/** Digests every buffer; with `parallelism` ≥ 1 on that many worker threads. */
export const hash = oneShot(hashCall, ({ options }) => hasherFor(options.parallelism))

/** `hash` on a pool of child processes instead of threads (the `processes` variant). */
export const hashProcesses = oneShot(hashCall, ({ options }) =>
  hasherFor(options.parallelism, 'processes'),
)
