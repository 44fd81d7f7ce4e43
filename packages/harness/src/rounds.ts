/**
 * The round loop. Every round runs every cell that still needs samples once,
 * in a freshly shuffled order, each in a fresh child process, so machine drift
 * spreads evenly over the contestants. A speed cell stops once its interval is
 * tight enough or the time budget says no; a robustness cell runs a fixed
 * number of times; a cell that fails once is recorded as failed, with why.
 */
import { type CellFailure, halfWidthPercent, medianInterval, type Sample } from '@arena/core'
import type { CellPlan } from './plan.ts'
import { shuffled } from './plan.ts'
import type { Repetition } from './profiles.ts'
import { spawnCell } from './spawn-cell.ts'
import type { WorldAddress } from './workloads.ts'

/** A cell's runs so far. */
export interface CellState {
  readonly plan: CellPlan
  readonly samples: Sample[]
  readonly failedRuns: CellFailure[]
  /** Measured iterations per child, fixed by the cell's first run. */
  iterations?: number
  /** Wall-clock time of all its child runs so far, ms (the time budget's estimate). */
  spentMs: number
}

/** Receives progress events. */
export interface Progress {
  start(total: number): void
  /** One run done; `total` may grow or shrink as cells stop early or fail. */
  tick(done: number, total: number, line: string): void
  note(line: string): void
  stop(): void
}

/** What the round loop needs besides the cells. */
export interface RoundsConfig {
  readonly repetition: Repetition
  readonly seed: number
  readonly world: WorldAddress
  /** Levels the mock world's heap before each run (outside every clock). */
  readonly levelWorld: () => Promise<void>
  readonly progress: Progress
  /** When the run started (the time budget counts from it), ms since the epoch. */
  readonly startedAt: number
  readonly cpuProfileDir?: string
  /** A replacement child module (tests). */
  readonly childModule?: string
  readonly signal?: AbortSignal
}

function needsMore(state: CellState, repetition: Repetition): boolean {
  const { minRounds, maxRounds, targetHalfWidthPercent, robustnessRounds } = repetition
  if (state.failedRuns.length > 0) return false
  if (state.plan.section === 'robustness') return state.samples.length < robustnessRounds
  if (state.samples.length >= maxRounds) return false
  if (state.samples.length < minRounds) return true
  return (
    halfWidthPercent(medianInterval(state.samples.map((s) => s.wallMs))) > targetHalfWidthPercent
  )
}

/**
 * Iterations of one child: robustness runs prove outcomes once; a cell's first
 * speed run finds how many iterations fit the target, and every later run of
 * the cell measures exactly that many, so its samples are alike.
 */
function iterationsOf(state: CellState, repetition: Repetition) {
  if (state.plan.section !== 'speed') return { max: 1, targetMs: 0 }
  if (state.iterations !== undefined)
    return { max: state.iterations, targetMs: Number.MAX_SAFE_INTEGER }
  return { max: repetition.maxIterations, targetMs: repetition.sampleTargetMs }
}

/** Runs rounds until every cell has what it needs, the budget is spent or the signal aborts. */
export async function runRounds(states: readonly CellState[], config: RoundsConfig): Promise<void> {
  const { repetition, progress, signal } = config
  let done = 0
  const estimate = () =>
    done +
    states
      .filter((s) => needsMore(s, repetition))
      .reduce((n, s) => n + Math.max(1, repetition.minRounds - s.samples.length), 0)
  progress.start(estimate())
  // The time budget: rounds past the minimum run only while they fit, judged
  // by each cell's own mean run time so far.
  const budgetMs = (repetition.budgetSeconds ?? Number.POSITIVE_INFINITY) * 1000
  const meanRunMs = (state: CellState) =>
    state.spentMs / Math.max(1, state.samples.length + state.failedRuns.length)
  let overBudget = 0
  for (let round = 0; round < repetition.maxRounds; round++) {
    const due = states.filter((s) => needsMore(s, repetition))
    if (due.length === 0 || signal?.aborted) break
    for (const state of shuffled(due, config.seed + round)) {
      if (signal?.aborted) break
      const adaptive = state.samples.length >= repetition.minRounds
      if (adaptive && Date.now() - config.startedAt + meanRunMs(state) > budgetMs) {
        overBudget++
        continue
      }
      // Each run starts against a world with no garbage left by the one before.
      await config.levelWorld()
      const runStart = performance.now()
      const result = await spawnCell(
        {
          type: 'run',
          cell: state.plan,
          round,
          seed: config.seed,
          warmups: repetition.warmups,
          warmupScale: repetition.warmupScale,
          ...(repetition.warmupMs !== undefined &&
            state.plan.section === 'speed' && { warmupMs: repetition.warmupMs }),
          heap: repetition.heap,
          iterations: iterationsOf(state, repetition),
          world: config.world,
        },
        {
          deadlineMs: repetition.watchdogSeconds * 1000,
          ...(signal && { signal }),
          ...(config.cpuProfileDir && { cpuProfileDir: config.cpuProfileDir }),
          ...(config.childModule && { childModule: config.childModule }),
        },
      )
      if (signal?.aborted) break
      const runMs = performance.now() - runStart
      state.spentMs += runMs
      done++
      const child = `child ${(runMs / 1000).toFixed(1)} s`
      let what: string
      if ('sample' in result) {
        state.samples.push({ ...result.sample, childMs: runMs })
        const iterations = result.sample.iterationWallMs?.length ?? 1
        state.iterations ??= iterations
        if (result.profile) progress.note(`CPU profile: ${result.profile}`)
        what = `${result.sample.wallMs.toFixed(1)} ms${iterations > 1 ? ` (median of ${iterations})` : ''}, start-up ${result.sample.startupMs.toFixed(1)} ms, cold ${result.sample.coldWallMs.toFixed(1)} ms, verified; ${child}`
      } else {
        state.failedRuns.push(result.failure)
        what = `FAILED (${result.failure.reason}): ${result.failure.message}; ${child}`
      }
      progress.tick(done, estimate(), `round ${round + 1} ${state.plan.id}: ${what}`)
    }
  }
  if (overBudget > 0)
    progress.note(
      `time budget of ${repetition.budgetSeconds} s reached: ${overBudget} extra run(s) of cells still above the ${repetition.targetHalfWidthPercent}% target were not started`,
    )
}
