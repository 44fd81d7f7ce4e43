/**
 * The runner: plans the cells of a profile, starts the mock world, measures
 * the ceilings, then runs rounds. Every round runs every cell that still needs
 * samples once, in a freshly shuffled order, each in a fresh child process, so
 * machine drift spreads evenly over the contestants. A cell stops early once
 * its interval is tight enough; a cell that fails once is recorded as failed,
 * with its reason, and never charted as a speed.
 */
import { availableParallelism } from 'node:os'
import {
  type Ceiling,
  type Cell,
  type CellFailure,
  countOutliers,
  createRandom,
  halfWidthPercent,
  medianInterval,
  medianOf,
  RESULTS_SCHEMA_VERSION,
  type Results,
  type Sample,
  speedRatio,
  type WorkloadId,
  workloadIds,
} from '@arena/core'
import {
  configureCeilings,
  fetchCeiling,
  hashCeiling,
  pipelineCeiling,
  scanCeiling,
} from './ceilings.ts'
import type { CellPlan } from './cell.ts'
import type { Discovered } from './discover.ts'
import { sourcesOf } from './discover.ts'
import type { Profile } from './profiles.ts'
import { captureEnvironment } from './results-file.ts'
import { spawnCell } from './spawn-cell.ts'
import { startWorld, type World } from './world.ts'

/** Which cells to run. Empty lists mean all. */
export interface Filters {
  readonly implementations: readonly string[]
  readonly variants: readonly string[]
  readonly workloads: readonly WorkloadId[]
}

/** Everything a run needs. */
export interface RunConfig {
  readonly root: string
  readonly profile: Profile
  readonly seed: number
  readonly contestants: readonly Discovered[]
  readonly filters: Filters
  /** `<impl>/<variant>` the ratios are taken against. */
  readonly baseline: string
  /** `<impl>/<variant>` to run twice under two names (A/A), or undefined. */
  readonly aa?: string
  /** Directory for CPU profiles, when asked for. */
  readonly cpuProfileDir?: string
  /** The watchdog's deadline per child, ms. */
  readonly deadlineMs: number
  /** Whether to measure ceilings (tests turn it off). */
  readonly ceilings: boolean
  readonly progress: Progress
  /** A replacement child module (tests). */
  readonly childModule?: string
  /** Runs a step of the shutdown on SIGINT; set by the CLI. */
  readonly signal?: AbortSignal
}

/** Receives progress events. */
export interface Progress {
  start(total: number): void
  /** One run done; `total` may grow or shrink as cells stop early or fail. */
  tick(done: number, total: number, line: string): void
  note(line: string): void
  stop(): void
}

/** The name of the A/A twin of a variant. */
export const AA_TWIN_SUFFIX = 'twin'

/** Every cell of `config`, in a stable order. */
export function planCells(
  config: Pick<RunConfig, 'profile' | 'contestants' | 'filters' | 'aa'>,
): CellPlan[] {
  const { profile, contestants, filters, aa } = config
  const plans: CellPlan[] = []
  for (const contestant of contestants) {
    const impl = contestant.implementation
    if (filters.implementations.length > 0 && !filters.implementations.includes(impl.id)) continue
    for (const variant of impl.variants) {
      const key = `${impl.id}/${variant.id}`
      if (aa !== undefined && key !== aa) continue
      // A profile of default variants only still runs any variant asked for by name.
      if (
        profile.variants === 'default' &&
        variant.id !== 'default' &&
        filters.variants.length === 0 &&
        aa === undefined
      )
        continue
      if (
        filters.variants.length > 0 &&
        !filters.variants.includes(variant.id) &&
        !filters.variants.includes(key)
      )
        continue
      const names =
        aa !== undefined ? [variant.id, `${variant.id}-${AA_TWIN_SUFFIX}`] : [variant.id]
      for (const workload of workloadIds) {
        if (!variant.workloads[workload]) continue
        if (filters.workloads.length > 0 && !filters.workloads.includes(workload)) continue
        const points = [...profile.points[workload], ...(profile.robustness?.[workload] ?? [])]
        for (const point of points) {
          // Robustness is a property of each contestant, measured on its default variant.
          if (point.faults && variant.id !== 'default') continue
          for (const name of names) {
            plans.push({
              id: `${impl.id}/${name}/${workload}/${point.id}`,
              implementation: impl.id,
              variant: name,
              runVariant: variant.id,
              workload,
              section: point.faults ? 'robustness' : 'speed',
              point,
              entry: contestant.entry,
            })
          }
        }
      }
    }
  }
  return plans
}

/** Fisher–Yates with a seeded source: the same seed and round give the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

interface CellState {
  readonly plan: CellPlan
  readonly samples: Sample[]
  readonly failedRuns: CellFailure[]
  /** Measured iterations per child, fixed by the cell's first run. */
  iterations?: number
  /** Wall-clock time of all its child runs so far, ms (the time budget's estimate). */
  spentMs: number
}

function needsMore(state: CellState, profile: Profile): boolean {
  const { minRounds, maxRounds, targetHalfWidthPercent, robustnessRounds } = profile.repetition
  if (state.failedRuns.length > 0) return false
  if (state.plan.section === 'robustness') return state.samples.length < robustnessRounds
  if (state.samples.length >= maxRounds) return false
  if (state.samples.length < minRounds) return true
  return (
    halfWidthPercent(medianInterval(state.samples.map((s) => s.wallMs))) > targetHalfWidthPercent
  )
}

async function measureCeilings(
  plans: readonly CellPlan[],
  world: World,
  progress: Progress,
): Promise<Ceiling[]> {
  const seen = new Map<string, Ceiling>()
  for (const plan of plans) {
    const key = `${plan.workload}/${plan.point.id}`
    if (seen.has(key)) continue
    const { origin, host } = world.ready
    try {
      const measure = {
        fetch: () => fetchCeiling(plan.point, origin),
        hash: () => hashCeiling(plan.point),
        scanPort: () => scanCeiling(plan.point, host),
        pipeline: () => pipelineCeiling(plan.point, origin),
      }
      seen.set(key, await measure[plan.workload]())
    } catch (error) {
      seen.set(key, {
        workload: plan.workload,
        pointId: plan.point.id,
        tool: 'none',
        available: false,
        note: `ceiling failed: ${(error as Error).message}`,
      })
    }
    progress.note(`ceiling ${key}: ${seen.get(key)?.note}`)
  }
  return [...seen.values()]
}

function summarise(state: CellState, seed: number): Cell {
  const { plan, samples, failedRuns } = state
  const base = {
    id: plan.id,
    implementation: plan.implementation,
    variant: plan.variant,
    workload: plan.workload,
    section: plan.section,
    point: plan.point,
    samples,
    failedRuns,
  }
  if (failedRuns.length > 0 || samples.length === 0) {
    const failure = failedRuns[0] ?? { reason: 'error' as const, message: 'no sample was taken' }
    return { ...base, status: 'failed', failure }
  }
  const wall = medianInterval(
    samples.map((s) => s.wallMs),
    seed,
  )
  const items = medianInterval(
    samples.map((s) => s.itemsPerSecond),
    seed,
  )
  const median = (pick: (s: Sample) => number | undefined) => medianOf(samples.map(pick))
  const latencyP50 = median((s) => s.latencyP50Ms)
  const latencyP99 = median((s) => s.latencyP99Ms)
  const peak = samples.map((s) => s.serverPeakInFlight).filter((x): x is number => x !== undefined)
  return {
    ...base,
    status: 'ok',
    stats: {
      n: samples.length,
      medianWallMs: wall.value,
      ciWallMs: [wall.low, wall.high],
      halfWidthPercent: halfWidthPercent(wall),
      medianItemsPerSecond: items.value,
      ciItemsPerSecond: [items.low, items.high],
      medianMegabytesPerSecond: median((s) => s.megabytesPerSecond) ?? 0,
      outliers: countOutliers(samples.map((s) => s.wallMs)),
      medianCpuMs: median((s) => s.cpuUserMs + s.cpuSystemMs) ?? 0,
      medianPeakRssBytes: median((s) => s.peakRssBytes) ?? 0,
      medianLoopDelayP99Ms: median((s) => s.loopDelayP99Ms) ?? 0,
      medianLoopUtilization: median((s) => s.loopUtilization) ?? 0,
      medianGcMs: median((s) => s.gcMs) ?? 0,
      ...(latencyP50 !== undefined && { medianLatencyP50Ms: latencyP50 }),
      ...(latencyP99 !== undefined && { medianLatencyP99Ms: latencyP99 }),
      ...(peak.length > 0 && { maxServerPeakInFlight: Math.max(...peak) }),
      maxHandlesLeft: Math.max(0, ...samples.map((s) => s.handlesLeft ?? 0)),
      maxThreadsLeft: Math.max(0, ...samples.map((s) => s.threadsLeft ?? 0)),
    },
  }
}

/** Adds to each ok cell its ratio against the baseline on the same point, and its share of the ceiling. */
export function compare(
  cells: Cell[],
  baseline: string,
  ceilings: readonly Ceiling[],
  seed: number,
): Cell[] {
  const byKey = new Map(
    cells.map((c) => [`${c.implementation}/${c.variant}/${c.workload}/${c.point.id}`, c]),
  )
  return cells.map((cell) => {
    if (cell.status !== 'ok' || !cell.stats) return cell
    const base = byKey.get(`${baseline}/${cell.workload}/${cell.point.id}`)
    const ceiling = ceilings.find(
      (c) => c.workload === cell.workload && c.pointId === cell.point.id && c.available,
    )
    const out: Cell = { ...cell }
    if (cell.section === 'speed' && base?.status === 'ok' && base.samples.length > 0) {
      const r = speedRatio(
        cell.samples.map((s) => s.wallMs),
        base.samples.map((s) => s.wallMs),
        seed,
      )
      out.ratio = { baseline, value: r.value, ci: [r.low, r.high], significant: r.significant }
    }
    if (ceiling?.itemsPerSecond)
      out.percentOfCeiling = (cell.stats.medianItemsPerSecond / ceiling.itemsPerSecond) * 100
    return out
  })
}

/** Runs the whole benchmark and returns its results (not yet written). */
export async function runBench(config: RunConfig): Promise<Results> {
  const startedAt = new Date()
  const plans = planCells(config)
  if (plans.length === 0) throw new Error('No cell matches the filters; nothing to run')
  const states = plans.map((plan): CellState => ({ plan, samples: [], failedRuns: [], spentMs: 0 }))
  const world = await startWorld()
  const { progress, profile } = config
  let ceilings: Ceiling[] = []
  try {
    configureCeilings(profile.repetition.ceilingAttempts, profile.repetition.ceilingSeconds)
    // Ceilings bound speed; a robustness cell is judged on its outcomes, not against one.
    if (config.ceilings)
      ceilings = await measureCeilings(
        plans.filter((p) => p.section === 'speed'),
        world,
        progress,
      )
    const estimate = () =>
      done +
      states
        .filter((s) => needsMore(s, profile))
        .reduce((n, s) => n + Math.max(1, profile.repetition.minRounds - s.samples.length), 0)
    let done = 0
    progress.start(estimate())
    // The time budget: rounds past the minimum run only while they fit, judged
    // by each cell's own mean run time so far.
    const budgetMs = (profile.repetition.budgetSeconds ?? Number.POSITIVE_INFINITY) * 1000
    const meanRunMs = (state: CellState) =>
      state.spentMs / Math.max(1, state.samples.length + state.failedRuns.length)
    let overBudget = 0
    for (let round = 0; round < profile.repetition.maxRounds; round++) {
      const due = states.filter((s) => needsMore(s, profile))
      if (due.length === 0 || config.signal?.aborted) break
      for (const state of shuffled(due, config.seed + round)) {
        if (config.signal?.aborted) break
        const adaptive = state.samples.length >= profile.repetition.minRounds
        if (adaptive && Date.now() - startedAt.getTime() + meanRunMs(state) > budgetMs) {
          overBudget++
          continue
        }
        // Each run starts against a world with no garbage left by the one before.
        await world.collectGarbage()
        const runStart = performance.now()
        const result = await spawnCell(
          {
            type: 'run',
            cell: state.plan,
            round,
            seed: config.seed,
            warmups: profile.repetition.warmups,
            ...(profile.repetition.warmupScale !== undefined && {
              warmupScale: profile.repetition.warmupScale,
            }),
            // Robustness runs prove outcomes once; speed runs may iterate in the child.
            // The first run of a cell finds how many iterations fit the target;
            // every later run of the cell measures exactly that many, so its
            // samples are alike.
            iterations:
              state.plan.section !== 'speed'
                ? { max: 1, targetMs: 0 }
                : state.iterations !== undefined
                  ? { max: state.iterations, targetMs: Number.MAX_SAFE_INTEGER }
                  : {
                      max: profile.repetition.maxIterations,
                      targetMs: profile.repetition.sampleTargetMs,
                    },
            world: world.ready,
          },
          {
            deadlineMs: config.deadlineMs,
            ...(config.signal && { signal: config.signal }),
            ...(config.cpuProfileDir && { cpuProfileDir: config.cpuProfileDir }),
            ...(config.childModule && { childModule: config.childModule }),
          },
        )
        if (config.signal?.aborted) break
        const runMs = performance.now() - runStart
        state.spentMs += runMs
        done++
        if ('sample' in result) {
          state.samples.push(result.sample)
          state.iterations ??= result.sample.iterationWallMs?.length ?? 1
          if (result.profile) progress.note(`CPU profile: ${result.profile}`)
        } else {
          state.failedRuns.push(result.failure)
        }
        const child = `child ${(runMs / 1000).toFixed(1)} s`
        const iterations = 'sample' in result ? (result.sample.iterationWallMs?.length ?? 1) : 0
        const what =
          'sample' in result
            ? `${result.sample.wallMs.toFixed(1)} ms${iterations > 1 ? ` (median of ${iterations})` : ''}, verified; ${child}`
            : `FAILED (${result.failure.reason}): ${result.failure.message}; ${child}`
        progress.tick(done, estimate(), `round ${round + 1} ${state.plan.id}: ${what}`)
      }
    }
    if (overBudget > 0)
      progress.note(
        `time budget of ${profile.repetition.budgetSeconds} s reached: ${overBudget} extra run(s) of cells still above the ${profile.repetition.targetHalfWidthPercent}% target were not started`,
      )
  } finally {
    progress.stop()
    await world.close()
  }
  const contestants = config.contestants.map((c) => ({
    id: c.implementation.id,
    title: c.implementation.title,
    style: c.implementation.style,
    package: c.packageName,
    version: c.version,
    variants: c.implementation.variants.map((v) => ({
      id: v.id,
      title: v.title,
      kind: v.kind,
      description: v.description,
      workloads: workloadIds.filter((w) => v.workloads[w]),
      ...(v.limits && { limits: { ...v.limits } }),
    })),
    sources: sourcesOf(c.dir),
  }))
  if (config.aa) {
    const [implId, variantId] = config.aa.split('/')
    const twin = contestants.find((c) => c.id === implId)?.variants.find((v) => v.id === variantId)
    if (twin)
      contestants
        .find((c) => c.id === implId)
        ?.variants.push({
          ...twin,
          id: `${twin.id}-${AA_TWIN_SUFFIX}`,
          title: `${twin.title} (A/A twin)`,
        })
  }
  const cells = compare(
    states.map((s) => summarise(s, config.seed)),
    config.baseline,
    ceilings,
    config.seed,
  )
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: `${startedAt.toISOString().replaceAll(/[:.]/g, '-')}-${config.profile.name}`,
    profile: config.profile.name,
    seed: config.seed,
    baseline: config.baseline,
    ...(config.aa && { aa: config.aa }),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: {
      ...captureEnvironment(
        config.root,
        config.contestants.map((c) => c.dir),
      ),
      cores: availableParallelism(),
    },
    contestants,
    ceilings,
    cells,
  }
}
