/**
 * An open instance in Effect's terms: the variant's layers (worker pool,
 * HTTP pools per origin, probe) built once into a `ManagedRuntime`, and
 * workloads that run their programs on it instead of providing layers of
 * their own. `open` resolves once the layers are built and `ready` has
 * succeeded (every worker thread loaded); `close` disposes the runtime,
 * which interrupts any call still running and runs every finalizer
 * (threads terminated, connections closed) before it resolves. A call is
 * validated before it touches the runtime, and must fit what the instance
 * was opened for: its parallelism exactly, its concurrency at most.
 */
import {
  type Instance,
  MAX_CONCURRENCY,
  MAX_PARALLELISM,
  type OpenOptions,
  type Outcome,
  type RunOptions,
  type Workloads,
} from '@arena/core'
import * as Cause from 'effect/Cause'
import type * as Effect from 'effect/Effect'
import * as Exit from 'effect/Exit'
import type * as Layer from 'effect/Layer'
import * as ManagedRuntime from 'effect/ManagedRuntime'
import { type Plan, runCall } from './run.ts'

/** Binds a workload's plan to the instance's runtime. */
export type Bind<R> = <I, T>(
  plan: Plan<I, T, R>,
) => (input: I, options: RunOptions) => Promise<Outcome<T>[]>

/** How a variant opens: its layers, what "ready" means for them, and its workloads on them. */
export interface Opening<R> {
  readonly layer: Layer.Layer<R>
  readonly ready: Effect.Effect<void, unknown, NoInfer<R>>
  readonly workloads: (bind: Bind<NoInfer<R>>) => Partial<Workloads>
}

function checkOpenOptions(options: OpenOptions): OpenOptions {
  const { concurrency, parallelism } = options ?? {}
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new TypeError(
      `Expected options.concurrency to be an integer from 1 to ${MAX_CONCURRENCY}, got ${concurrency}`,
    )
  if (!Number.isInteger(parallelism) || parallelism < 0 || parallelism > MAX_PARALLELISM)
    throw new TypeError(
      `Expected options.parallelism to be an integer from 0 to ${MAX_PARALLELISM}, got ${parallelism}`,
    )
  return options
}

function checkFits(call: RunOptions, opened: OpenOptions): void {
  if (call.parallelism !== opened.parallelism)
    throw new TypeError(
      `Expected options.parallelism to be ${opened.parallelism}, the instance's, got ${call.parallelism}`,
    )
  if (call.concurrency > opened.concurrency)
    throw new TypeError(
      `Expected options.concurrency to be at most ${opened.concurrency}, the instance's, got ${call.concurrency}`,
    )
}

/** Opens an instance for `options` with the layers and workloads `opening` makes of them. */
export async function openInstance<R>(
  options: OpenOptions,
  opening: (options: OpenOptions) => Opening<R>,
): Promise<Instance> {
  const opened = checkOpenOptions(options)
  const { layer, ready, workloads } = opening(opened)
  const runtime = ManagedRuntime.make(layer)
  const started = await runtime.runPromiseExit(ready)
  if (Exit.isFailure(started)) {
    await runtime.dispose()
    throw Cause.squash(started.cause)
  }
  let closed = false
  const bind: Bind<R> = (plan) => async (input, callOptions) => {
    const call = plan(input, callOptions)
    if (closed) throw new TypeError('Expected an open instance, got one that was closed')
    checkFits(call.options, opened)
    return runCall(call, runtime.runPromiseExit)
  }
  return {
    workloads: workloads(bind),
    close: async () => {
      closed = true
      await runtime.dispose()
    },
  }
}
