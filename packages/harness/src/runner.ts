/**
 * The runner: a run's steps in order. It plans the cells (`planRun`, over plan.ts), starts the
 * mock world, measures the mock server's own capacity, runs the rounds
 * (rounds.ts) — the ceiling tools among the contestants, in the same children
 * under the same protocol — and builds the results (build-results.ts).
 */
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Results } from '@arena/core'
import { buildResults } from './build-results.ts'
import type { Discovered } from './discover.ts'
import { type CellPlan, type Filters, planCells } from './plan.ts'
import type { Profile } from './profiles.ts'
import { captureEnvironment } from './results-file.ts'
import { type CellState, type Progress, runRounds } from './rounds.ts'
import type { PreparedRuntime } from './runtimes.ts'
import { serverCapacity } from './server-capacity.ts'
import { rowOf } from './workloads.ts'
import { startWorld } from './world.ts'

/** Everything a run needs: built by the CLI (or a test), read by the runner only. */
export interface RunConfig {
  readonly root: string
  readonly profile: Profile
  readonly seed: number
  readonly contestants: readonly Discovered[]
  readonly filters: Filters
  /** `<impl>/<variant>` the ratios are taken against. */
  readonly baseline: string
  /** `<impl>/<variant>` keys to run twice under two names (A/A); empty for none. */
  readonly aa: readonly string[]
  /** Directory for CPU profiles, when asked for. */
  readonly cpuProfileDir?: string
  /** Whether to measure ceilings and the server's capacity (tests turn it off). */
  readonly ceilings: boolean
  readonly progress: Progress
  /** A replacement child module (tests). */
  readonly childModule?: string
  /** The runtime every cell's child runs under (runtimes.ts); absent: the harness's Node 24. */
  readonly runtime?: PreparedRuntime
  /** The runtime the mock world runs under; absent: the harness's Node 24, whatever the children run on. */
  readonly worldRuntime?: PreparedRuntime
  /** Stops the run between two child runs; set by the CLI on SIGINT. */
  readonly signal?: AbortSignal
}

const ceilingEntry = fileURLToPath(new URL('./ceiling/index.ts', import.meta.url))

/** The ceiling tools, loaded only when a run measures ceilings. */
const ceilingTools = async () =>
  ((await import(ceilingEntry)) as typeof import('./ceiling/index.ts')).implementation

/** The cells `config` runs: the contestants' and, when ceilings are on, the ceiling tools'. */
export async function planRun(
  config: Pick<RunConfig, 'profile' | 'contestants' | 'filters' | 'aa' | 'ceilings' | 'runtime'>,
): Promise<CellPlan[]> {
  const ceiling = config.ceilings
    ? { implementation: await ceilingTools(), entry: ceilingEntry }
    : undefined
  const plans = planCells({
    profile: config.profile,
    contestants: config.contestants,
    filters: config.filters,
    aa: config.aa,
    ...(ceiling && { ceiling }),
    ...(config.runtime && { runtime: config.runtime }),
  })
  if (!plans.some((p) => p.role === 'contestant'))
    throw new Error('No cell matches the filters; nothing to run')
  return plans
}

/** Runs the whole benchmark and returns its results (not yet written). */
export async function runBench(config: RunConfig): Promise<Results> {
  const startedAt = new Date()
  const { profile, progress } = config
  const plans = await planRun(config)
  const states = plans.map((plan): CellState => ({ plan, samples: [], failedRuns: [], spentMs: 0 }))
  const capacity = new Map<string, number>()
  const world = await startWorld(config.worldRuntime)
  try {
    if (config.ceilings)
      for (const plan of plans) {
        const key = `${plan.workload}/${plan.point.id}`
        if (plan.role !== 'ceiling' || !rowOf(plan.workload).serverCapacity || capacity.has(key))
          continue
        try {
          capacity.set(
            key,
            await serverCapacity(
              plan.point,
              world.ready.origin,
              profile.repetition.serverCapacitySeconds,
            ),
          )
        } catch (error) {
          progress.note(`server capacity ${key}: ${(error as Error).message}`)
        }
      }
    await runRounds(states, {
      repetition: profile.repetition,
      seed: config.seed,
      world: world.ready,
      levelWorld: () => world.collectGarbage(),
      progress,
      startedAt: startedAt.getTime(),
      ...(config.cpuProfileDir && { cpuProfileDir: config.cpuProfileDir }),
      ...(config.childModule && { childModule: config.childModule }),
      ...(config.signal && { signal: config.signal }),
    })
  } finally {
    progress.stop()
    await world.close()
  }
  return buildResults({
    states,
    contestants: config.contestants,
    profile: profile.name,
    seed: config.seed,
    baseline: config.baseline,
    aa: config.aa,
    startedAt,
    environment: {
      ...captureEnvironment(
        config.root,
        config.contestants.map((c) => c.dir),
        config.runtime && { children: config.runtime, world: world.runtime },
      ),
      cores: availableParallelism(),
    },
    serverCapacity: capacity,
    ceilingTitles: new Map(
      (config.ceilings ? (await ceilingTools()).variants : []).map((v) => [v.id, v.title]),
    ),
    centralPoints: profile.centralPoints ?? {},
  })
}
