/**
 * The two ways a workload is called, from one definition. A workload is a
 * `Step`: the check of its input and its run on the `Resources` a variant
 * keeps (the worker pool, the HTTP clients). Called one-shot, it checks the
 * call, keeps resources for that call alone and releases them when the
 * streams have ended; opened, `openInstance` waits for the workers to load and
 * binds every step to the same resources, each call checked — input, options,
 * and that they fit what was opened — before a stream is built. An instance
 * opened for one workload keeps only what that workload needs (no pool for a
 * fetch or a scan) and refuses calls of the others.
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
  workloadIds,
} from '@arena/core'
import { Resources } from './resources.ts'

type Input<W extends WorkloadId> = Parameters<Workloads[W]>[0]
type Result<W extends WorkloadId> = Awaited<ReturnType<Workloads[W]>>

/** One workload: the check of its input and its run on kept resources. */
export interface Step<W extends WorkloadId> {
  /** Throws a `TypeError` naming what is wrong with the input. */
  readonly check: (input: Input<W>) => unknown
  /** Runs on `kept`; input and options have been checked. */
  readonly run: (kept: Resources, input: Input<W>, options: RunOptions) => Promise<Result<W>>
}

/** The steps of a variant, by workload. */
export type Steps = { readonly [W in WorkloadId]?: Step<W> }

/** Checks the options of `open` and returns them. */
export function checkOpenOptions(options: OpenOptions): OpenOptions {
  const o = expectObject('open options', options)
  expectInteger('open options.concurrency', o.concurrency, 1, MAX_CONCURRENCY)
  expectInteger('open options.parallelism', o.parallelism, 0, MAX_PARALLELISM)
  if (o.workload !== undefined) expectOneOf('open options.workload', o.workload, workloadIds)
  return options
}

/** The one-shot form of `step`: check, keep resources for this call, run, release. */
export function oneShot<W extends WorkloadId>(
  step: Step<W>,
): (input: Input<W>, options: RunOptions) => Promise<Result<W>> {
  return async (input, options): Promise<Result<W>> => {
    step.check(input)
    const checked = checkRunOptions(options)
    const kept = new Resources(checked)
    try {
      const outcomes: Result<W> = await step.run(kept, input, checked)
      return outcomes
    } finally {
      // Once aborted the outcomes are final; a worker still loading can take 150 ms or
      // more to terminate, and the caller has no reason to wait for it.
      const released = kept.close()
      if (!checked.signal?.aborted) await released
    }
  }
}

/** Throws unless a call fits the instance: exactly its parallelism, at most its concurrency. */
function checkFits(options: RunOptions, opened: OpenOptions): void {
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
 * Opens an instance of `steps`: checks the options, starts the resources and
 * resolves once the workers have loaded. If they cannot, whatever started is
 * released and the error thrown.
 */
export async function openInstance(options: OpenOptions, steps: Steps): Promise<Instance> {
  const opened = checkOpenOptions(options)
  if (opened.workload !== undefined)
    expectOneOf('open options.workload', opened.workload, Object.keys(steps) as WorkloadId[])
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
    workloads[id] = async (input: never, runOptions: RunOptions) => {
      if (closed) throw new TypeError(`Expected an open instance for ${id}, but it was closed`)
      if (opened.workload !== undefined && opened.workload !== id)
        throw new TypeError(
          `Expected only ${opened.workload} calls on this instance, the workload it was opened for, got ${id}`,
        )
      step.check(input)
      const checked = checkRunOptions(runOptions)
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
