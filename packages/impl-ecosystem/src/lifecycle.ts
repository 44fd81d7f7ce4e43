/**
 * One-shot and open, written once. A workload is a `Step`: a check of its
 * input, and a run on the `Resources` the variant keeps (its piscina pool, its
 * HTTP clients). The one-shot form checks the call, keeps what it needs for
 * that call alone, runs and releases it; `openInstance` waits until the
 * resources are ready and binds every step to them, each call checked —
 * input, options, and that the options fit what was opened — before any work.
 * An instance opened for one workload keeps only what that one needs, and
 * refuses calls of the others.
 */
import {
  checkRunOptions,
  expectInteger,
  expectObject,
  expectOneOf,
  type Instance,
  MAX_CONCURRENCY,
  MAX_PARALLELISM,
  type OpenOptions,
  type RunOptions,
  type WorkloadId,
  type Workloads,
} from '@arena/core'
import { Resources } from './resources.ts'

type Input<W extends WorkloadId> = Parameters<Workloads[W]>[0]
type Result<W extends WorkloadId> = Awaited<ReturnType<Workloads[W]>>

/** One workload, as a check of its input and a run on the kept resources. */
export interface Step<W extends WorkloadId> {
  /** Throws a `TypeError` naming what is wrong with the input. */
  readonly check: (input: Input<W>) => unknown
  /** Runs on `kept`; input and options are already checked. */
  readonly run: (kept: Resources, input: Input<W>, options: RunOptions) => Promise<Result<W>>
}

/** The one-shot workload: checks the call, keeps what it needs for this call alone, runs, releases. */
export function oneShot<W extends WorkloadId>(
  step: Step<W>,
): (input: Input<W>, options: RunOptions) => Promise<Result<W>> {
  return async (input, options): Promise<Result<W>> => {
    step.check(input)
    const checked = checkRunOptions(options)
    const kept = new Resources(checked)
    try {
      const result: Result<W> = await step.run(kept, input, checked)
      return result
    } finally {
      // After an abort the outcomes are final now; threads still starting up can take a
      // while to terminate, and nobody needs to wait for that.
      const closing = kept.close()
      if (!checked.signal?.aborted) await closing
    }
  }
}

/** Throws unless a call's options fit the instance: its parallelism exactly, at most its concurrency. */
function checkFits(options: RunOptions, opened: OpenOptions) {
  if (options.parallelism !== opened.parallelism)
    throw new TypeError(
      `Expected options.parallelism to be ${opened.parallelism}, the parallelism this instance was opened with, got ${options.parallelism}`,
    )
  if (options.concurrency > opened.concurrency)
    throw new TypeError(
      `Expected options.concurrency to be at most ${opened.concurrency}, the concurrency this instance was opened with, got ${options.concurrency}`,
    )
}

/**
 * Opens an instance: checks the options, starts the piscina pool and resolves
 * once its threads have loaded, with every step bound to it. If the pool
 * cannot start, what it started is released and the error thrown.
 */
export async function openInstance(
  opened: OpenOptions,
  steps: { readonly [W in WorkloadId]?: Step<W> },
): Promise<Instance> {
  const o = expectObject('open options', opened)
  expectInteger('open options.concurrency', o.concurrency, 1, MAX_CONCURRENCY)
  expectInteger('open options.parallelism', o.parallelism, 0, MAX_PARALLELISM)
  if (o.workload !== undefined)
    expectOneOf('open options.workload', o.workload, Object.keys(steps) as WorkloadId[])
  const kept = new Resources(opened)
  try {
    await kept.ready()
  } catch (error) {
    await kept.close()
    throw error
  }
  let closed = false
  const workloads: Partial<Record<WorkloadId, unknown>> = {}
  for (const [id, step] of Object.entries(steps) as [WorkloadId, Step<WorkloadId>][]) {
    workloads[id] = async (input: never, options: RunOptions) => {
      if (closed) throw new TypeError(`Expected an open instance for ${id}, but it was closed`)
      if (opened.workload !== undefined && opened.workload !== id)
        throw new TypeError(
          `Expected only ${opened.workload} calls on this instance, the workload it was opened for, got ${id}`,
        )
      step.check(input)
      const checked = checkRunOptions(options)
      checkFits(checked, opened)
      return step.run(kept, input, checked)
    }
  }
  return {
    workloads: workloads as Partial<Workloads>,
    close: () => {
      closed = true
      return kept.close()
    },
  }
}
