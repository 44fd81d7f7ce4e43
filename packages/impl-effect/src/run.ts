/**
 * The boundary between a workload's Effect program and the promise the
 * contract asks for. The run's `AbortSignal` interrupts the program's fiber
 * (`Effect.runPromiseExit(program, { signal })`), whose finalizers close
 * pools, sockets and worker threads before the promise settles. Interruption
 * carries no value out of `Effect.forEach` or a stream, so each item records
 * its outcome as it settles into an array owned here, and every item left
 * without one is `aborted`.
 */
import { abortedFailure, type Failure, failed, failureOf, type Outcome, success } from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import * as Exit from 'effect/Exit'
import * as Result from 'effect/Result'
import { type ItemError, toFailure } from './errors.ts'

/** Stores the outcome of the item at `index` (from 0). */
export type Recorder<T> = (index: number, outcome: Outcome<T>) => Effect.Effect<void>

/**
 * Runs `program` to completion or until `signal` aborts, and resolves with
 * one outcome per item, in input order. Starts nothing when `signal` is
 * already aborted. A typed failure of the whole program (a worker pool that
 * would not start) is the failure of every item it left unfinished; only a
 * defect of the program itself rejects.
 */
export async function runOutcomes<T>(
  count: number,
  signal: AbortSignal | undefined,
  program: (record: Recorder<T>) => Effect.Effect<void, ItemError>,
): Promise<Outcome<T>[]> {
  const outcomes = new Array<Outcome<T> | undefined>(count)
  let unfinished: Failure = abortedFailure
  if (!signal?.aborted) {
    const record: Recorder<T> = (index, outcome) =>
      Effect.sync(() => {
        outcomes[index] = outcome
      })
    const exit = await Effect.runPromiseExit(program(record), { signal })
    if (Exit.isFailure(exit)) {
      unfinished = failureOfCause(exit.cause)
      if (Cause.hasDies(exit.cause)) throw Cause.squash(exit.cause)
    }
  }
  return Array.from(outcomes, (outcome) => outcome ?? failed(unfinished))
}

function failureOfCause(cause: Cause.Cause<ItemError>): Failure {
  const error = Cause.findError(cause)
  if (Result.isSuccess(error)) return toFailure(error.success)
  // An item's own deadline fails with a TimeoutError, so an interrupt can only be the run's abort.
  if (Cause.hasInterrupts(cause)) return abortedFailure
  return failureOf(Cause.squash(cause))
}

/** Turns an item's effect into its outcome: its typed errors and defects become data. */
export const settle =
  <A, T>(value: (a: A) => T) =>
  (self: Effect.Effect<A, ItemError>): Effect.Effect<Outcome<T>> =>
    Effect.matchCause(self, {
      onSuccess: (a) => success(value(a)),
      onFailure: (cause) => failed<T>(failureOfCause(cause)),
    })
