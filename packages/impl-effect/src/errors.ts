/**
 * The typed errors an item can fail with, as they travel in Effect's error
 * channel, and their one mapping to core's `Failure` union. A timeout is
 * Effect's own `Cause.TimeoutError`, raised by `Effect.timeout`; everything
 * else is tagged here. Only the boundary (`run.ts`) turns them into data.
 */
import { type Failure, failureOf } from '@arena/core'
import type * as Cause from 'effect/Cause'
import * as Data from 'effect/Data'

/** The server answered with a non-2xx `status`. */
export class StatusError extends Data.TaggedError('StatusError')<{ readonly status: number }> {}

/** The connection failed: refused, reset or closed mid-body. `cause` is the client's own error. */
export class NetworkError extends Data.TaggedError('NetworkError')<{ readonly cause: unknown }> {}

/** The worker thread running the item threw, exited or was lost. */
export class WorkerCrashError extends Data.TaggedError('WorkerCrashError')<{
  readonly cause: unknown
}> {}

/** Every expected failure of one item. */
export type ItemError = StatusError | NetworkError | WorkerCrashError | Cause.TimeoutError

/** The `Failure` an item error stands for; a network error's code is read by core's `failureOf`. */
export function toFailure(error: ItemError): Failure {
  switch (error._tag) {
    case 'StatusError':
      return { kind: 'http-status', status: error.status }
    case 'TimeoutError':
      return { kind: 'timeout' }
    case 'WorkerCrashError':
      return { kind: 'worker-crashed', message: String(error.cause) }
    case 'NetworkError':
      return failureOf(error.cause)
  }
}
