/**
 * The boundary between a workload's Effect program and the promise the
 * contract asks for. A workload is written as a plan: it validates its
 * arguments at once (a `TypeError`, before anything is built) and returns a
 * `Call`, the program that records each item's outcome and the services it
 * needs. A one-shot workload provides those services' layers for that call
 * alone; an open instance runs the program on its `ManagedRuntime`. Either
 * way the call's `AbortSignal` interrupts the program's fiber
 * (`runPromiseExit(program, { signal })`), whose finalizers release what the
 * call holds before the promise settles. Interruption carries no value out of
 * `Effect.forEach` or a stream, so each item records its outcome as it
 * settles into an array owned here, and every item left without one is
 * `aborted`. The run's callbacks hang off the same two places: recording an
 * outcome reports it (`onOutcome`, as it completes), the boundary reports each
 * item the program left without one, after the fiber tree has exited and
 * before the promise settles; a program marks where each item's operation
 * begins with `start(index)`, which reports `onStart` there. Without a
 * callback each is a branch.
 */
import {
  abortedFailure,
  type Failure,
  failed,
  failureOf,
  type Outcome,
  type RunOptions,
  success,
} from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import * as Exit from 'effect/Exit'
import { identity } from 'effect/Function'
import type * as Layer from 'effect/Layer'
import * as Result from 'effect/Result'
import { type ItemError, toFailure } from './errors.ts'

/** Stores the outcome of the item at `index` (from 0), and reports it. */
export type Recorder<T> = (index: number, outcome: Outcome<T>) => Effect.Effect<void>

/** Wraps an item's operation so that its start is reported as it begins. */
export type Starting = <A, E, R>(operation: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/** The `Starting` of the item at `index`: `identity` when nobody listens. */
export type Start = (index: number) => Starting

/** What a call's program is given: where outcomes go, and how starts are marked. */
export type Program<T, R> = (record: Recorder<T>, start: Start) => Effect.Effect<void, ItemError, R>

/** One validated call of a workload, not started yet. */
export interface Call<T, R> {
  /** Items, each of which gets exactly one outcome. */
  readonly count: number
  /** The call's options, validated. */
  readonly options: RunOptions
  /** The program, needing the services `R`, that records each item's outcome. */
  readonly program: Program<T, R>
}

/** A workload as a program: validates its arguments (throwing `TypeError`) and returns the call. */
export type Plan<I, T, R> = (input: I, options: RunOptions) => Call<T, R>

/** Runs an effect to its `Exit`: `Effect.runPromiseExit`, or an open instance's runtime's. */
export type Runner<R> = <A, E>(
  effect: Effect.Effect<A, E, R>,
  options?: Effect.RunOptions,
) => Promise<Exit.Exit<A, E>>

const unwatched: Starting = identity

/**
 * Runs `program` with `run` to completion or until `signal` aborts, and
 * resolves with one outcome per item, in input order, reporting each to
 * `hooks` (see the module comment). Starts nothing when `signal` is already
 * aborted. A typed failure of the whole program (a worker pool that would not
 * start) is the failure of every item it left unfinished; only a defect of
 * the program itself rejects.
 */
export async function runOutcomes<T, R = never>(
  count: number,
  signal: AbortSignal | undefined,
  program: Program<T, R>,
  run: Runner<R> = Effect.runPromiseExit as Runner<R>,
  hooks: Pick<RunOptions, 'onOutcome' | 'onStart'> = {},
): Promise<Outcome<T>[]> {
  const { onOutcome, onStart } = hooks
  const outcomes = new Array<Outcome<T> | undefined>(count)
  let unfinished: Failure = abortedFailure
  if (!signal?.aborted) {
    const record: Recorder<T> = (index, outcome) =>
      Effect.sync(() => {
        outcomes[index] = outcome
        onOutcome?.(index, outcome)
      })
    const start: Start = onStart
      ? (index) => (operation) =>
          Effect.andThen(
            Effect.sync(() => onStart(index)),
            operation,
          )
      : () => unwatched
    const exit = await run(program(record, start), { signal })
    if (Exit.isFailure(exit)) {
      unfinished = failureOfCause(exit.cause)
      if (Cause.hasDies(exit.cause)) throw Cause.squash(exit.cause)
    }
  }
  return Array.from(outcomes, (outcome, index) => {
    if (outcome) return outcome
    const left = failed<T>(unfinished)
    onOutcome?.(index, left)
    return left
  })
}

/** Runs `call` with `run`; a call with no items starts nothing. */
export const runCall = async <T, R>(call: Call<T, R>, run: Runner<R>): Promise<Outcome<T>[]> =>
  call.count === 0
    ? []
    : runOutcomes(call.count, call.options.signal, call.program, run, call.options)

/** `call` with `layer` provided to its program: a call that needs no services. */
export const provideCall = <T, R>(call: Call<T, R>, layer: Layer.Layer<R>): Call<T, never> => ({
  ...call,
  program: (record, start) =>
    Effect.provide(call.program(record, start), layer) as Effect.Effect<void, ItemError>,
})

/** The one-shot workload of `plan`: each call validated, then run on `layer` built for it alone. */
export const oneShot =
  <I, T, R>(plan: Plan<I, T, R>, layer: (call: Call<T, R>) => Layer.Layer<R>) =>
  async (input: I, options: RunOptions): Promise<Outcome<T>[]> => {
    const planned = plan(input, options)
    return runCall(provideCall(planned, layer(planned)), Effect.runPromiseExit)
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
