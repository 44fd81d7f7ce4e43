/**
 * An open instance in Effect's terms: the layers its workloads need (worker
 * pool, HTTP pools per origin, probe) built once into a `ManagedRuntime`,
 * and workloads that run their programs on it. Each workload is bound with
 * the layer it needs; the runtime builds the layers of the workloads the
 * instance will run — all of them, or only `options.workload`'s (a fetch
 * instance starts no worker thread) — and a call provides its workload's
 * layer again, which the runtime's `MemoMap` already holds: layers are
 * memoized by reference, so the call gets the instance's pools instead of
 * building its own, and one layer shared by two workloads (the hasher of
 * `hash` and `pipeline`) is built once. `open` resolves once the layers are
 * built and each workload's `ready` has succeeded (every worker thread
 * loaded); `close` disposes the runtime, which interrupts any call still
 * running and runs every finalizer (threads terminated, connections closed)
 * before it resolves. A call is validated before it touches the runtime, and
 * must fit what the instance was opened for: its workload, its parallelism
 * exactly, its concurrency at most.
 */
import {
  type Instance,
  MAX_CONCURRENCY,
  MAX_PARALLELISM,
  type OpenOptions,
  type Outcome,
  type RunOptions,
  type WorkloadId,
  type Workloads,
  workloadIds,
} from '@arena/core'
import * as Cause from 'effect/Cause'
import * as Effect from 'effect/Effect'
import * as Exit from 'effect/Exit'
import * as Layer from 'effect/Layer'
import * as ManagedRuntime from 'effect/ManagedRuntime'
import { type Plan, provideCall, runCall } from './run.ts'

/**
 * Binds the plan of `workload` to the instance: its calls run on the
 * instance's runtime with `layer`, what the plan needs; `ready` is what that
 * layer must have done before `open` resolves (its threads loaded).
 */
export type Bind = <I, T, R>(
  workload: WorkloadId,
  plan: Plan<I, T, R>,
  layer: Layer.Layer<NoInfer<R>>,
  ready?: Effect.Effect<void, unknown, NoInfer<R>>,
) => (input: I, options: RunOptions) => Promise<Outcome<T>[]>

/** How a variant opens: its workloads, each bound with what it needs. */
export interface Opening {
  readonly workloads: (bind: Bind) => Partial<Workloads>
}

/** A bound workload, as the runtime builds it. */
interface Part {
  readonly workload: WorkloadId
  readonly layer: Layer.Layer<never>
  readonly ready: Effect.Effect<void, unknown>
}

function checkOpenOptions(options: OpenOptions): OpenOptions {
  const { concurrency, parallelism, workload } = options ?? {}
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new TypeError(
      `Expected options.concurrency to be an integer from 1 to ${MAX_CONCURRENCY}, got ${concurrency}`,
    )
  if (!Number.isInteger(parallelism) || parallelism < 0 || parallelism > MAX_PARALLELISM)
    throw new TypeError(
      `Expected options.parallelism to be an integer from 0 to ${MAX_PARALLELISM}, got ${parallelism}`,
    )
  if (workload !== undefined && !workloadIds.includes(workload))
    throw new TypeError(
      `Expected options.workload to be one of ${workloadIds.join(', ')} or absent, got ${JSON.stringify(workload)}`,
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

/** Opens an instance for `options` with the workloads `opening` binds. */
export async function openInstance(
  options: OpenOptions,
  opening: (options: OpenOptions) => Opening,
): Promise<Instance> {
  const opened = checkOpenOptions(options)
  const only = opened.workload
  const parts: Part[] = []
  let closed = false
  const bind: Bind = (workload, plan, layer, ready = Effect.void) => {
    parts.push({ workload, layer, ready: Effect.provide(ready, layer) })
    return async (input, callOptions) => {
      const call = plan(input, callOptions)
      if (closed) throw new TypeError('Expected an open instance, got one that was closed')
      if (only !== undefined && workload !== only)
        throw new TypeError(
          `Expected a call of ${only}, the one workload this instance was opened for, got ${workload}`,
        )
      checkFits(call.options, opened)
      return runCall(provideCall(call, layer), runtime.runPromiseExit)
    }
  }
  const workloads = opening(opened).workloads(bind)
  const kept = parts.filter(({ workload }) => only === undefined || workload === only)
  if (kept.length === 0)
    throw new TypeError(
      `Expected options.workload to be one of this variant's, ${parts.map((p) => p.workload).join(', ')}, got ${only}`,
    )
  const runtime = ManagedRuntime.make(
    kept.reduce<Layer.Layer<never>>((all, part) => Layer.merge(all, part.layer), Layer.empty),
  )
  const started = await runtime.runPromiseExit(
    Effect.forEach(kept, (part) => part.ready, { discard: true }),
  )
  if (Exit.isFailure(started)) {
    await runtime.dispose()
    throw Cause.squash(started.cause)
  }
  return {
    workloads,
    close: async () => {
      closed = true
      await runtime.dispose()
    },
  }
}
