/**
 * One-shot and open, written once. A workload is a `Step`: a check of its
 * input, and a run on what the variant keeps (`Kept`: its worker pool, its
 * HTTP clients). The one-shot form checks the call, keeps what it needs for
 * that call alone, runs and releases it; `openInstance` waits until what it
 * keeps is ready and binds every step to it, each call checked — input,
 * options, and that the options fit what was opened — before any work starts.
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
  workloadIds,
} from '@arena/core'

/** What a variant keeps between calls. */
export interface Kept {
  /** Starts everything it keeps and resolves once it can work (its workers have loaded). */
  ready(): Promise<void>
  /** Releases everything; once it resolves no thread, socket or timer of it is left. */
  close(): Promise<void>
}

type Input<W extends WorkloadId> = Parameters<Workloads[W]>[0]
type Result<W extends WorkloadId> = Awaited<ReturnType<Workloads[W]>>

/** One workload, as a check of its input and a run on what the variant keeps. */
export interface Step<K, W extends WorkloadId> {
  /** Throws a `TypeError` naming what is wrong with the input. */
  readonly check: (input: Input<W>) => unknown
  /** Runs on `kept`; input and options are already checked. */
  readonly run: (kept: K, input: Input<W>, options: RunOptions) => Promise<Result<W>>
}

/** Checks open options and returns them. */
export function checkOpenOptions(options: OpenOptions): OpenOptions {
  const o = expectObject('open options', options)
  expectInteger('open options.concurrency', o.concurrency, 1, MAX_CONCURRENCY)
  expectInteger('open options.parallelism', o.parallelism, 0, MAX_PARALLELISM)
  if (o.workload !== undefined) expectOneOf('open options.workload', o.workload, workloadIds)
  return options
}

/** The one-shot workload: checks the call, keeps what it needs for this call alone, runs, releases. */
export function oneShot<K extends Kept, W extends WorkloadId>(
  keep: (options: OpenOptions) => K,
  step: Step<K, W>,
): (input: Input<W>, options: RunOptions) => Promise<Result<W>> {
  return async (input, options): Promise<Result<W>> => {
    step.check(input)
    const checked = checkRunOptions(options)
    const kept = keep(checked)
    try {
      const result: Result<W> = await step.run(kept, input, checked)
      return result
    } finally {
      // After an abort the outcomes are final now; a worker still starting up can take
      // a while to terminate, and nobody needs to wait for that.
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
 * Opens an instance on `kept`: resolves once it is ready, with every step bound
 * to it. If it cannot get ready, what it started is released and the error thrown.
 */
export async function openInstance<K extends Kept>(
  kept: K,
  opened: OpenOptions,
  steps: { readonly [W in WorkloadId]?: Step<K, W> },
): Promise<Instance> {
  const ids = Object.keys(steps) as WorkloadId[]
  if (opened.workload !== undefined) expectOneOf('open options.workload', opened.workload, ids)
  try {
    await kept.ready()
  } catch (error) {
    await kept.close()
    throw error
  }
  let closed = false
  const workloads: Partial<Record<WorkloadId, unknown>> = {}
  for (const [id, step] of Object.entries(steps) as [WorkloadId, Step<K, WorkloadId>][]) {
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
  const close = () => {
    closed = true
    return kept.close()
  }
  return { workloads: workloads as Partial<Workloads>, close }
}
