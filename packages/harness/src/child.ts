/**
 * The child process that runs one measured cell. Started fresh for every run,
 * it loads the contestant, runs a discarded warm-up, builds the input, and
 * only then starts the clocks: wall time, CPU of every thread, event-loop delay
 * and utilisation, GC time. A short workload is measured a few times in the
 * same child (an odd number, up to a target time) and the median iteration is
 * the sample, so process start-up is paid once per sample, not per iteration.
 * It verifies every answer against the ground truth (and the server's
 * in-flight peak against the limit) and sends one `result` message. It never
 * decides what is fast; it reports what happened.
 */
import { readdirSync } from 'node:fs'
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks'
import { setTimeout } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import {
  describeVerdict,
  effectiveLimits,
  expectedFetch,
  expectedHash,
  expectedPipeline,
  fetchInput,
  hashInput,
  type Implementation,
  type Outcome,
  type RunOptions,
  type Sample,
  type StoredVerdict,
  scanInput,
  type VariantLimits,
  verifyOutcomes,
  type Workloads,
} from '@arena/core'
import { expectedFromObservation, fetchStats, recordTruth, tagUrls } from '@arena/kit/mock-world'
import { type AnySpec, bytesOf, type CellPlan, itemsOf, specFor } from './cell.ts'

/** What the runner sends the child. */
export interface ChildJob {
  readonly type: 'run'
  readonly cell: CellPlan
  readonly round: number
  readonly seed: number
  /** Warm-up runs before the measured ones, on half the input (at most 2,000 items). */
  readonly warmups: number
  /** Share of the input a warm-up runs on instead of half. */
  readonly warmupScale?: number
  /**
   * Measured iterations in this child: the first one's wall time decides how
   * many fit `targetMs` — at least one, at most `max`, always an odd count.
   * The sample is the median one; every iteration's wall time is kept.
   */
  readonly iterations: { readonly max: number; readonly targetMs: number }
  readonly world: {
    readonly origin: string
    readonly host: string
    readonly filtered: readonly number[]
  }
}

/** What the child sends back. */
export type ChildReply =
  | { readonly type: 'result'; readonly sample: Sample }
  | { readonly type: 'error'; readonly message: string }

/** Most items of a warm-up run. */
const WARMUP_MAX_ITEMS = 2000

/** Time given to closing sockets and exiting threads before counting what is left, ms. */
const LEFTOVER_GRACE_MS = 100

type Run = (input: unknown, options: RunOptions) => Promise<readonly Outcome<unknown>[]>

async function loadWorkload(cell: CellPlan): Promise<{ run: Run; limits?: VariantLimits }> {
  const module = (await import(pathToFileURL(cell.entry).href)) as {
    implementation?: Implementation
  }
  const variant = module.implementation?.variants.find((v) => v.id === cell.runVariant)
  const run = variant?.workloads[cell.workload as keyof Workloads]
  if (!run)
    throw new Error(`${cell.entry} has no workload ${cell.workload} in variant ${cell.runVariant}`)
  return { run: run as Run, ...(variant?.limits && { limits: variant.limits }) }
}

function inputOf(spec: AnySpec, job: ChildJob, tag: string): unknown {
  switch (spec.workload) {
    case 'fetch':
    case 'pipeline':
      return {
        urls: tagUrls(fetchInput({ ...spec, workload: 'fetch' }, job.world.origin).urls, tag),
      }
    case 'hash':
      return hashInput(spec)
    case 'scanPort':
      return scanInput({ ...spec, host: job.world.host })
  }
}

function optionsOf(job: ChildJob): RunOptions {
  const { concurrency, parallelism, timeoutMs } = job.cell.point
  return { concurrency, parallelism, timeoutMs }
}

async function runOnce(run: Run, spec: AnySpec, job: ChildJob, tag: string) {
  const input = inputOf(spec, job, tag)
  // A full collection now, so the garbage of the warm-up, the input's construction and
  // the previous iteration's verification is not collected inside the timed window.
  ;(globalThis as { gc?: () => void }).gc?.()
  const truth =
    spec.workload === 'scanPort'
      ? recordTruth({ host: job.world.host, filtered: job.world.filtered, intervalMs: 3_600_000 })
      : undefined
  const options = optionsOf(job)
  const delay = monitorEventLoopDelay({ resolution: 1 })
  let gcMs = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  })
  gc.observe({ entryTypes: ['gc'] })
  delay.enable()
  const elu = performance.eventLoopUtilization()
  const cpu = process.cpuUsage()
  const start = performance.now()
  const result = await run(input, options)
  const wallMs = performance.now() - start
  const cpuUsed = process.cpuUsage(cpu)
  const loop = performance.eventLoopUtilization(elu)
  delay.disable()
  gc.disconnect()
  return { result, wallMs, cpuUsed, loop, delay, gcMs, truth }
}

function verdictOf(
  spec: AnySpec,
  result: readonly Outcome<unknown>[],
  truth: ReturnType<typeof recordTruth> | undefined,
  parallelism: number,
): StoredVerdict {
  const expected =
    spec.workload === 'fetch'
      ? expectedFetch(spec)
      : spec.workload === 'pipeline'
        ? expectedPipeline(spec)
        : spec.workload === 'hash'
          ? expectedHash(spec, parallelism)
          : expectedFromObservation(
              spec.ports,
              (truth as ReturnType<typeof recordTruth>).stop(),
              result as never,
            )
  const verdict = verifyOutcomes(expected as readonly Outcome<unknown>[], result)
  return {
    ok: verdict.ok,
    items: verdict.items,
    discrepancyCount: verdict.discrepancyCount,
    tally: verdict.tally,
    summary: describeVerdict(verdict),
  }
}

/** One measured iteration: the clocks, then the verdict (outside the clocks). */
async function iterate(run: Run, job: ChildJob, parallelism: number, tag: string) {
  const spec = specFor(job.cell.workload, job.cell.point, job.seed)
  const measured = await runOnce(run, spec, job, tag)
  const verdict = verdictOf(spec, measured.result, measured.truth, parallelism)
  // The answer is verified now and not kept: the next iteration starts with a clean heap.
  return { ...measured, result: undefined, verdict, spec, tag }
}

async function main(job: ChildJob): Promise<Sample> {
  const { run, limits } = await loadWorkload(job.cell)
  // What the variant really runs at: the asked figures, or less where it declares less.
  const effective = effectiveLimits(limits, job.cell.point)
  // A warm-up runs the same code paths on half the input, at most WARMUP_MAX_ITEMS
  // items: enough for the JIT, without doubling the cost of a long scan.
  const warmScale = Math.min(job.warmupScale ?? 0.5, WARMUP_MAX_ITEMS / job.cell.point.items)
  const warmSpec = specFor(job.cell.workload, job.cell.point, job.seed + 1, warmScale)
  for (let i = 0; i < job.warmups; i++)
    await run(inputOf(warmSpec, job, `${job.cell.id}#warm${job.round}.${i}`), optionsOf(job))
  const handlesBefore = process.getActiveResourcesInfo().length
  const threadsBefore = readdirSync('/proc/self/task').length
  // Measured iterations: the first one says how many fit the target — the most,
  // up to `max`, an odd number so one of them is the median — and none runs
  // past a wrong answer.
  const { max, targetMs } = job.iterations
  const iterations: Awaited<ReturnType<typeof iterate>>[] = []
  let count = 1
  while (iterations.length < count && iterations.every((it) => it.verdict.ok)) {
    const it = await iterate(
      run,
      job,
      effective.parallelism,
      `${job.cell.id}#${job.round}.${iterations.length}`,
    )
    iterations.push(it)
    if (iterations.length === 1) {
      const fit = Math.max(1, Math.min(max, Math.floor(targetMs / Math.max(it.wallMs, 1e-3))))
      count = fit % 2 === 1 ? fit : fit - 1
    }
  }
  // What the workloads left running, counted after a short grace and before this
  // child opens anything of its own (the stats requests keep a socket).
  await setTimeout(LEFTOVER_GRACE_MS)
  const handlesLeft = process.getActiveResourcesInfo().length - handlesBefore
  const threadsLeft = readdirSync('/proc/self/task').length - threadsBefore
  const pages = job.cell.workload === 'fetch' || job.cell.workload === 'pipeline'
  const checked = []
  for (const it of iterations) {
    const server = pages ? await fetchStats(job.world.origin, it.tag) : undefined
    const verdict =
      server && server.peakInFlight > effective.concurrency
        ? {
            ...it.verdict,
            ok: false,
            summary: `the server saw ${server.peakInFlight} requests in flight; the limit was ${effective.concurrency}`,
          }
        : it.verdict
    checked.push({ ...it, verdict, server })
  }
  // The sample is the median iteration, or the first whose answer was wrong.
  const sorted = [...checked].sort((a, b) => a.wallMs - b.wallMs)
  const chosen =
    checked.find((it) => !it.verdict.ok) ??
    (sorted[Math.floor((sorted.length - 1) / 2)] as (typeof checked)[number])
  const { spec, wallMs, cpuUsed, loop, delay, gcMs, verdict, server } = chosen
  const items = itemsOf(spec)
  return {
    round: job.round,
    wallMs,
    ...(iterations.length > 1 && { iterationWallMs: iterations.map((it) => it.wallMs) }),
    itemsPerSecond: items / (wallMs / 1000),
    megabytesPerSecond: bytesOf(spec) / 1e6 / (wallMs / 1000),
    cpuUserMs: cpuUsed.user / 1000,
    cpuSystemMs: cpuUsed.system / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
    loopUtilization: loop.utilization,
    gcMs,
    handlesLeft,
    threadsLeft,
    ...(server && {
      serverPeakInFlight: server.peakInFlight,
      latencyP50Ms: server.latencyP50Ms,
      latencyP99Ms: server.latencyP99Ms,
    }),
    verdict,
  }
}

process.once('message', (job: ChildJob) => {
  main(job).then(
    (sample) =>
      process.send?.({ type: 'result', sample } satisfies ChildReply, () => process.exit(0)),
    (error: unknown) =>
      process.send?.(
        {
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        } satisfies ChildReply,
        () => process.exit(1),
      ),
  )
})
