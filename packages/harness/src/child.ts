/**
 * The child process that runs one measured cell. Started fresh for every run,
 * it loads the contestant and opens the variant (start-up, timed on its own),
 * makes the cold call — the first call on the fresh instance, on the warm-up
 * share of the input, verified — runs the other warm-ups, levels the heap, and only then times warm calls on
 * the same instance: wall time, CPU of every thread, event-loop delay and
 * utilisation, GC time. A short workload is measured a few times in the same
 * child (an odd number, up to a target time) and the median iteration is the
 * sample. It verifies every answer (and the server's in-flight peak against
 * the limit), closes the instance, counts what was left behind, and sends one
 * `result` message. It never decides what is fast; it reports what happened.
 */
import { readdirSync } from 'node:fs'
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks'
import { setTimeout } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import {
  describeVerdict,
  effectiveLimits,
  type Implementation,
  type Instance,
  openVariant,
  type RunOptions,
  type Sample,
  type StoredVerdict,
  type Variant,
  type WorkloadId,
} from '@arena/core'
import { fetchStats } from '@arena/kit/mock-world'
import type { CellPlan } from './plan.ts'
import type { HeapLevel } from './profiles.ts'
import { rowOf, type WorldAddress } from './workloads.ts'

/** What the runner sends the child. */
export interface ChildJob {
  readonly type: 'run'
  readonly cell: CellPlan
  readonly round: number
  readonly seed: number
  /** Warm-up calls after the cold call; the cold call and each of them run on `warmupScale` of the input (at most 2,000 items). */
  readonly warmups: number
  readonly warmupScale: number
  /** Warm-up time from the cold call's start, ms: warm-up calls continue until it has passed. */
  readonly warmupMs?: number
  /** How the heap is levelled between the warm-up and each timed call. */
  readonly heap: HeapLevel
  /**
   * Measured iterations in this child: the first one's wall time decides how
   * many fit `targetMs` — at least one, at most `max`, always an odd count.
   * The sample is the median one; every iteration's wall time is kept.
   */
  readonly iterations: { readonly max: number; readonly targetMs: number }
  readonly world: WorldAddress
}

/** What the child sends back. */
export type ChildReply =
  | { readonly type: 'result'; readonly sample: Sample }
  | { readonly type: 'error'; readonly message: string }

/** Most items of a warm-up run. */
const WARMUP_MAX_ITEMS = 2000
/** The most warm-up calls of one child, whatever the warm-up time (a cell of very short calls). */
const WARMUP_MAX_CALLS = 200

/** Time given to closing sockets and exiting threads before counting what is left, ms. */
const LEFTOVER_GRACE_MS = 100
/** How often the count is taken again within that grace, ms. */
const LEFTOVER_POLL_MS = 5

type Run = (input: unknown, options: RunOptions) => Promise<unknown>

const gc = (globalThis as { gc?: (options?: { type?: 'major' | 'minor' }) => void }).gc

async function loadVariant(cell: CellPlan): Promise<Variant> {
  const module = (await import(pathToFileURL(cell.entry).href)) as {
    implementation?: Implementation
  }
  const variant = module.implementation?.variants.find((v) => v.id === cell.runVariant)
  if (!variant?.workloads[cell.workload])
    throw new Error(`${cell.entry} has no workload ${cell.workload} in variant ${cell.runVariant}`)
  return variant
}

/**
 * `options` with the per-item callbacks that record outcomes as they complete:
 * two arrays preallocated outside the clock, two stores per item inside it —
 * the callbacks cost what any done callback does.
 */
function wear(options: RunOptions, items: number) {
  const startedAt = new Float64Array(items).fill(Number.NaN)
  const doneAt = new Float64Array(items).fill(Number.NaN)
  const worn: RunOptions = {
    ...options,
    onStart: (index) => {
      startedAt[index] = performance.now()
    },
    onOutcome: (index) => {
      doneAt[index] = performance.now()
    },
  }
  return { worn, startedAt, doneAt }
}

/** A run of the cell's workload on `run`: its input built first, its verdict after. */
async function callOnce<W extends WorkloadId>(
  workload: W,
  run: Run,
  job: ChildJob,
  options: RunOptions,
  parallelism: number,
  tag: string,
  scale = 1,
  seedOffset = 0,
) {
  const row = rowOf(workload)
  const spec = row.spec(job.cell.point, job.seed + seedOffset, scale)
  const input = row.input(spec, job.world, tag)
  const check = row.watch(spec, job.world, parallelism)
  try {
    // Warm-ups wear the timed call's per-item callbacks, so the code the clock
    // times has already run with them.
    const { worn } = wear(options, row.count(spec as never))
    const start = performance.now()
    const result = await run(input, worn)
    const wallMs = performance.now() - start
    return { wallMs, verdict: check.verdict(result as never), spec, tag }
  } finally {
    check.stop()
  }
}

/** One timed call: the heap levelled, the clocks around the call only, the verdict after them. */
async function timedCall<W extends WorkloadId>(
  workload: W,
  run: Run,
  job: ChildJob,
  options: RunOptions,
  parallelism: number,
  tag: string,
) {
  const row = rowOf(workload)
  const spec = row.spec(job.cell.point, job.seed, 1)
  const input = row.input(spec, job.world, tag)
  // A minor collection empties the young generation without touching compiled
  // code; a major one would deoptimise what the warm-up optimised (see the README).
  if (job.heap === 'minor' || job.heap === 'full-rewarm') gc?.({ type: 'minor' })
  else if (job.heap === 'full') gc?.()
  const check = row.watch(spec, job.world, parallelism)
  const { worn: timedOptions, startedAt, doneAt } = wear(options, row.count(spec as never))
  const delay = monitorEventLoopDelay({ resolution: 1 })
  let gcMs = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  })
  try {
    observer.observe({ entryTypes: ['gc'] })
    delay.enable()
    const elu = performance.eventLoopUtilization()
    const cpu = process.cpuUsage()
    const start = performance.now()
    const result = await run(input, timedOptions)
    const wallMs = performance.now() - start
    const cpuUsed = process.cpuUsage(cpu)
    const loop = performance.eventLoopUtilization(elu)
    delay.disable()
    observer.disconnect()
    // The answer is verified now and not kept: the next call starts with a clean heap.
    const verdict = check.verdict(result as never)
    return {
      wallMs,
      cpuUsed,
      loop,
      delay,
      gcMs,
      verdict,
      spec,
      tag,
      ...asCompleted(start, startedAt, doneAt),
    }
  } finally {
    check.stop()
  }
}

/** Time to the first result and client-side latency per item, when the variant reported its outcomes as they completed. */
function asCompleted(start: number, startedAt: Float64Array, doneAt: Float64Array) {
  if (doneAt.some(Number.isNaN)) return {}
  const latencies = Array.from(doneAt, (done, i) => {
    const began = startedAt[i] as number
    return done - (Number.isNaN(began) ? start : began)
  }).sort((a, b) => a - b)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return {
    firstResultMs: doneAt.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY) - start,
    clientLatencyP50Ms: at(0.5),
    clientLatencyP99Ms: at(0.99),
  }
}

async function main(job: ChildJob): Promise<Sample> {
  const { cell } = job
  const row = rowOf(cell.workload)
  const variant = await loadVariant(cell)
  // What the variant really runs at: the asked figures, or less where it declares less.
  const effective = effectiveLimits(variant.limits, cell.point)
  const { concurrency, parallelism, timeoutMs } = cell.point
  const options: RunOptions = { concurrency, parallelism, timeoutMs }
  const handlesBefore = process.getActiveResourcesInfo().length
  const threadsBefore = readdirSync('/proc/self/task').length

  // Start-up, then the cold call: the first call on the fresh instance, on the full input.
  const openedAt = performance.now()
  const instance: Instance = await openVariant(variant, {
    concurrency,
    parallelism,
    workload: cell.workload,
  })
  const startupMs = performance.now() - openedAt
  const run = instance.workloads[cell.workload] as Run
  let closed = false
  try {
    // The cold call is the first warm-up: on the warm-up share of the input, at
    // most WARMUP_MAX_ITEMS items — enough for the JIT, without doubling a long
    // scan's cost — and the further warm-ups run the same share.
    const warmScale = Math.min(job.warmupScale, WARMUP_MAX_ITEMS / cell.point.items)
    const warmingSince = performance.now()
    const cold = await callOnce(
      cell.workload,
      run,
      job,
      options,
      effective.parallelism,
      `${cell.id}#cold${job.round}`,
      warmScale,
      1,
    )
    const coldWallMs = startupMs + cold.wallMs
    // The fixed warm-ups, then more until the warm-up time has passed (at most
    // WARMUP_MAX_CALLS calls in all).
    const warming = (i: number) =>
      i < job.warmups ||
      (i < WARMUP_MAX_CALLS && performance.now() - warmingSince < (job.warmupMs ?? 0))
    for (let i = 0; cold.verdict.ok && warming(i); i++)
      await callOnce(
        cell.workload,
        run,
        job,
        options,
        effective.parallelism,
        `${cell.id}#warm${job.round}.${i}`,
        warmScale,
        2 + i,
      )
    // Measured iterations: the first one says how many fit the target — the most,
    // up to `max`, an odd number so one of them is the median — and none runs
    // past a wrong answer.
    const { max, targetMs } = job.iterations
    const iterations: Awaited<ReturnType<typeof timedCall>>[] = []
    let count = cold.verdict.ok ? 1 : 0
    while (iterations.length < count && iterations.every((it) => it.verdict.ok)) {
      if (job.heap === 'full-rewarm') {
        // A full collection, then an untimed full-size call re-optimises what it deoptimised.
        gc?.()
        await callOnce(
          cell.workload,
          run,
          job,
          options,
          effective.parallelism,
          `${cell.id}#rewarm${job.round}.${iterations.length}`,
        )
      }
      const it = await timedCall(
        cell.workload,
        run,
        job,
        options,
        effective.parallelism,
        `${cell.id}#${job.round}.${iterations.length}`,
      )
      iterations.push(it)
      if (iterations.length === 1) {
        const fit = Math.max(1, Math.min(max, Math.floor(targetMs / Math.max(it.wallMs, 1e-3))))
        count = fit % 2 === 1 ? fit : fit - 1
      }
    }
    await instance.close()
    closed = true
    // What the variant left running once closed, counted before this child opens
    // anything of its own (the stats requests keep a socket): at once, and again
    // every few ms while something is left, for at most the grace.
    const leftover = () => ({
      handles: process.getActiveResourcesInfo().length - handlesBefore,
      threads: readdirSync('/proc/self/task').length - threadsBefore,
    })
    let left = leftover()
    for (
      const graceEnd = performance.now() + LEFTOVER_GRACE_MS;
      (left.handles > 0 || left.threads > 0) && performance.now() < graceEnd;
      left = leftover()
    )
      await setTimeout(LEFTOVER_POLL_MS)
    const { handles: handlesLeft, threads: threadsLeft } = left

    const limitCheck = async (verdict: StoredVerdict, tag: string): Promise<StoredVerdict> => {
      if (!row.pages) return verdict
      const server = await fetchStats(job.world.origin, tag)
      return server.peakInFlight > effective.concurrency
        ? {
            ...verdict,
            ok: false,
            limit: { observed: server.peakInFlight, allowed: effective.concurrency },
            summary: `the server saw ${server.peakInFlight} requests in flight; the limit was ${effective.concurrency}`,
          }
        : verdict
    }
    const toStored = (verdict: (typeof cold)['verdict']): StoredVerdict => ({
      ok: verdict.ok,
      items: verdict.items,
      discrepancyCount: verdict.discrepancyCount,
      tally: verdict.tally,
      summary: describeVerdict(verdict),
    })
    const coldVerdict = await limitCheck(toStored(cold.verdict), cold.tag)
    const checked = []
    for (const it of iterations) {
      const verdict = await limitCheck(toStored(it.verdict), it.tag)
      const server = row.pages ? await fetchStats(job.world.origin, it.tag) : undefined
      checked.push({ ...it, verdict, server })
    }
    // The sample is the median iteration, or the first run (cold included) whose answer was wrong.
    const sorted = [...checked].sort((a, b) => a.wallMs - b.wallMs)
    const median = sorted[Math.floor((sorted.length - 1) / 2)]
    const wrong = checked.find((it) => !it.verdict.ok)
    const common = {
      round: job.round,
      startupMs,
      coldWallMs,
      coldItems: row.count(cold.spec as never),
      handlesLeft,
      threadsLeft,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    }
    if (!coldVerdict.ok || !median)
      return {
        ...common,
        wallMs: cold.wallMs,
        itemsPerSecond: 0,
        megabytesPerSecond: 0,
        cpuUserMs: 0,
        cpuSystemMs: 0,
        loopDelayP99Ms: 0,
        loopDelayMaxMs: 0,
        loopUtilization: 0,
        gcMs: 0,
        verdict: { ...coldVerdict, summary: `the cold call: ${coldVerdict.summary}` },
      }
    const chosen = wrong ?? median
    const { spec, wallMs, cpuUsed, loop, delay, gcMs, verdict, server } = chosen
    const completed =
      chosen.firstResultMs === undefined
        ? {}
        : {
            firstResultMs: chosen.firstResultMs,
            clientLatencyP50Ms: chosen.clientLatencyP50Ms,
            clientLatencyP99Ms: chosen.clientLatencyP99Ms,
          }
    return {
      ...common,
      wallMs,
      ...(iterations.length > 1 && { iterationWallMs: iterations.map((it) => it.wallMs) }),
      itemsPerSecond: row.count(spec as never) / (wallMs / 1000),
      megabytesPerSecond: row.bytes(spec as never) / 1e6 / (wallMs / 1000),
      cpuUserMs: cpuUsed.user / 1000,
      cpuSystemMs: cpuUsed.system / 1000,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopDelayMaxMs: delay.max / 1e6,
      loopUtilization: loop.utilization,
      gcMs,
      ...completed,
      ...(server && {
        serverPeakInFlight: server.peakInFlight,
        latencyP50Ms: server.latencyP50Ms,
        latencyP99Ms: server.latencyP99Ms,
      }),
      verdict,
    }
  } finally {
    if (!closed) await instance.close().catch(() => {})
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
