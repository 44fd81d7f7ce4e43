/**
 * From the round loop's states to the results file's content: each cell's
 * statistics (core's `cellStats`), each point's ceiling from the ceiling
 * tools' cells, what the file says about each workload (its row of the table,
 * with the lesson this run supports), and the derived figures (core's
 * `deriveFigures`, the one place ratios and shares of the ceiling come from).
 */
import {
  AA_TWIN_SUFFIX,
  type Ceiling,
  type Cell,
  type Contestant,
  cellStats,
  deriveFigures,
  type Environment,
  type OkCell,
  type Results,
  verifiedCeiling,
  type WorkloadId,
  type WorkloadInfo,
  workloadIds,
} from '@arena/core'
import { RESULTS_SCHEMA_VERSION } from '@arena/core/results'
import type { Discovered } from './discover.ts'
import { sourcesOf } from './discover.ts'
import type { CellState } from './rounds.ts'
import { rowOf } from './workloads.ts'

/** What the results are built from. */
export interface ResultsInput {
  readonly states: readonly CellState[]
  readonly contestants: readonly Discovered[]
  readonly profile: string
  readonly seed: number
  readonly baseline: string
  readonly aa: readonly string[]
  readonly startedAt: Date
  readonly environment: Environment
  /** The mock server's own capacity per fetch point (autocannon), items/s. */
  readonly serverCapacity: ReadonlyMap<string, number>
  /** The ceiling tools' titles, by variant id. */
  readonly ceilingTitles: ReadonlyMap<string, string>
  /** The profile's central points per workload, when it has sweeps. */
  readonly centralPoints: Readonly<Partial<Record<WorkloadId, readonly string[]>>>
}

/** A state as a cell of the file: ok with its statistics, or failed with its first failure. */
export function cellOf(state: CellState, seed: number): Cell {
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
    ...(plan.runtime && { runtime: { name: plan.runtime.name, version: plan.runtime.version } }),
  }
  if (failedRuns.length > 0 || samples.length === 0) {
    const failure = failedRuns[0] ?? { reason: 'error' as const, message: 'no sample was taken' }
    return { ...base, status: 'failed', failure }
  }
  return { ...base, status: 'ok', stats: cellStats(samples, seed) }
}

/**
 * The ceiling of each point: the fastest of its tools whose every run was
 * verified; a point whose tools all failed gets an unavailable ceiling with why.
 */
export function ceilingsOf(
  tools: readonly Cell[],
  serverCapacity: ReadonlyMap<string, number>,
  titles: ReadonlyMap<string, string> = new Map(),
): Ceiling[] {
  const byPoint = Map.groupBy(tools, (c) => `${c.workload}/${c.point.id}`)
  return [...byPoint.values()].map((cells) => {
    const first = cells[0] as Cell
    const ok = cells
      .filter((c): c is OkCell => c.status === 'ok')
      .sort((a, b) => b.stats.medianItemsPerSecond - a.stats.medianItemsPerSecond)
    const best = ok[0]
    const capacity = serverCapacity.get(`${first.workload}/${first.point.id}`)
    const notes = cells.map((c) =>
      c.status === 'ok'
        ? `${c.variant} ${Math.round(c.stats.medianItemsPerSecond)}/s (n=${c.stats.n}, verified)`
        : `${c.variant} failed (${c.failure.reason}): ${c.failure.message}`,
    )
    if (capacity !== undefined)
      notes.push(`server capacity (autocannon, one URL, no checksum) ${Math.round(capacity)}/s`)
    return {
      workload: first.workload,
      pointId: first.point.id,
      tool: best ? `ceiling/${best.variant}` : 'none',
      ...(best && titles.has(best.variant) && { title: titles.get(best.variant) }),
      available: best !== undefined,
      verified: best !== undefined,
      ...(best && { itemsPerSecond: best.stats.medianItemsPerSecond }),
      ...(capacity !== undefined && { serverCapacityPerSecond: capacity }),
      note: notes.join('; '),
    }
  })
}

function contestantsOf(input: ResultsInput): Contestant[] {
  return input.contestants.map((c) => {
    const variants = c.implementation.variants.flatMap((v) => {
      const entry = {
        id: v.id,
        title: v.title,
        kind: v.kind,
        description: v.description,
        workloads: workloadIds.filter((w) => v.workloads[w]),
        ...(v.limits && { limits: { ...v.limits } }),
        ...(v.workers && { workers: v.workers }),
      }
      const twin = input.aa.includes(`${c.implementation.id}/${v.id}`)
        ? [{ ...entry, id: `${v.id}${AA_TWIN_SUFFIX}`, title: `${v.title} (A/A twin)` }]
        : []
      return [entry, ...twin]
    })
    return {
      id: c.implementation.id,
      title: c.implementation.title,
      style: c.implementation.style,
      package: c.packageName,
      version: c.version,
      variants,
      sources: sourcesOf(
        c.dir,
        workloadIds.map((w) => [w, rowOf(w).sourceFile]),
      ),
    }
  })
}

function workloadsOf(
  cells: readonly Cell[],
  ceilings: readonly Ceiling[],
  derived: Results['derived'],
  cores: number,
  centralPoints: ResultsInput['centralPoints'],
): WorkloadInfo[] {
  return workloadIds
    .filter((id) => cells.some((c) => c.workload === id))
    .map((id) => {
      const row = rowOf(id)
      const speed = cells.filter(
        (c): c is OkCell => c.workload === id && c.status === 'ok' && c.section === 'speed',
      )
      const lesson =
        speed.length === 0
          ? ''
          : row.lesson({
              cells: speed,
              cores,
              percentOfCeiling: (cell) => derived.cells[cell.id]?.percentOfCeiling,
              ceilingTool: (cell) => verifiedCeiling(ceilings, cell)?.tool,
            })
      return {
        id,
        title: row.title,
        items: row.items,
        sourceFile: row.sourceFile,
        ...(centralPoints[id] && { centralPoints: [...(centralPoints[id] ?? [])] }),
        lesson,
        charts: [...row.charts],
      }
    })
}

/** The results of a finished run. */
export function buildResults(input: ResultsInput): Results {
  const all = input.states.map((s) => ({ role: s.plan.role, cell: cellOf(s, input.seed) }))
  const cells = all.filter((c) => c.role === 'contestant').map((c) => c.cell)
  const ceilings = ceilingsOf(
    all.filter((c) => c.role === 'ceiling').map((c) => c.cell),
    input.serverCapacity,
    input.ceilingTitles,
  )
  const derived = deriveFigures({ cells, ceilings, baseline: input.baseline, seed: input.seed })
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: `${input.startedAt.toISOString().replaceAll(/[:.]/g, '-')}-${input.profile}`,
    profile: input.profile,
    seed: input.seed,
    baseline: input.baseline,
    ...(input.aa.length > 0 && { aa: input.aa.join(',') }),
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: input.environment,
    contestants: contestantsOf(input),
    workloads: workloadsOf(cells, ceilings, derived, input.environment.cores, input.centralPoints),
    ceilings,
    cells,
    derived,
  }
}
