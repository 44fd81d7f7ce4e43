/**
 * The rows of the results tables, one per cell: a verified speed cell with its
 * stored statistics, its stored share of a verified ceiling and its ratio
 * against every variant a reader may pick as the baseline; a robustness cell
 * with its outcomes (it ran to prove them, so no interval and no ratio); a
 * failed cell with its reason, never as a speed.
 */
import { formatNumber, type OkCell, type Results, variantKey, type WorkloadId } from '@arena/core'
import { okCells, variantLabel } from './cells.ts'
import { type RatioView, ratioBetween, ratioView } from './ratios.ts'

/** One row of a workload table. */
export interface RowView {
  readonly cellId: string
  readonly implementation: string
  readonly variantKey: string
  readonly variantTitle: string
  readonly kind: 'idiomatic' | 'tuned'
  readonly workload: WorkloadId
  readonly section: 'speed' | 'robustness'
  readonly pointId: string
  readonly pointLabel: string
  readonly status: 'ok' | 'failed'
  /** `reason: message` of a failed cell. */
  readonly failure?: string
  /** Verified runs behind the figures. */
  readonly n?: number
  readonly itemsPerSecond?: number
  /** 95% interval of the throughput; only where there are two runs or more to have one. */
  readonly ciItemsPerSecond?: readonly [number, number]
  readonly halfWidthPercent?: number
  readonly outliers?: number
  readonly megabytesPerSecond?: number
  /** Share of the point's verified ceiling, %, as stored in the file's derived figures. */
  readonly percentOfCeiling?: number
  readonly wallMs?: number
  readonly cpuMs?: number
  readonly peakRssBytes?: number
  readonly loopDelayP99Ms?: number
  readonly latencyP50Ms?: number
  readonly latencyP99Ms?: number
  /** Each item's latency from its start to its outcome, as the client saw it, ms: medians over runs. */
  readonly clientP50Ms?: number
  readonly clientP99Ms?: number
  /** From the call's start to its first outcome, ms: the median over runs. */
  readonly firstResultMs?: number
  /** Start-up (open → ready) and the cold call (open + first call), ms: medians. */
  readonly startupMs?: number
  readonly coldWallMs?: number
  /** Outcomes of the first run by kind, like `ok 900 · http-status 100`. */
  readonly outcomes?: string
  /** Median wall time as a multiple of the per-operation timeout. */
  readonly timeoutMultiple?: number
  /** Most handles plus threads any run left behind after it resolved. */
  readonly leftOver?: number
  /** Ratio against each possible baseline (`impl/variant`) that ran the same point; speed cells only. */
  readonly ratios: Readonly<Record<string, RatioView>>
}

const pointKey = (c: OkCell) => `${c.workload}/${c.point.id}`

/** Every `impl/variant` of the run, the baseline first. */
export function baselineChoices(results: Results): string[] {
  const keys = [...new Set(results.cells.map(variantKey))]
  return [results.baseline, ...keys.filter((k) => k !== results.baseline).sort()]
}

/** The table rows, in the file's order. */
export function tableRows(results: Results): RowView[] {
  const byPoint = new Map<string, OkCell[]>()
  for (const cell of okCells(results, 'speed'))
    byPoint.set(pointKey(cell), [...(byPoint.get(pointKey(cell)) ?? []), cell])
  return results.cells.map((cell) => {
    const label = variantLabel(results, cell)
    const base = {
      cellId: cell.id,
      implementation: cell.implementation,
      variantKey: label.key,
      variantTitle: label.title,
      kind: label.kind,
      workload: cell.workload,
      section: cell.section,
      pointId: cell.point.id,
      pointLabel: cell.point.label,
    }
    if (cell.status === 'failed')
      return {
        ...base,
        status: 'failed' as const,
        failure: `${cell.failure.reason}: ${cell.failure.message}`,
        ratios: {},
      }
    const s = cell.stats
    const ratios: Record<string, RatioView> = {}
    if (cell.section === 'speed')
      for (const other of byPoint.get(pointKey(cell)) ?? [])
        ratios[variantKey(other)] = ratioView(ratioBetween(results, cell, other))
    const share = results.derived.cells[cell.id]?.percentOfCeiling
    return {
      ...base,
      status: 'ok' as const,
      n: s.n,
      itemsPerSecond: s.medianItemsPerSecond,
      ...(cell.section === 'speed' &&
        s.n > 1 && { ciItemsPerSecond: s.ciItemsPerSecond, halfWidthPercent: s.halfWidthPercent }),
      outliers: s.outliers,
      megabytesPerSecond: s.medianMegabytesPerSecond,
      ...(share !== undefined && { percentOfCeiling: share }),
      wallMs: s.medianWallMs,
      cpuMs: s.medianCpuMs,
      peakRssBytes: s.medianPeakRssBytes,
      loopDelayP99Ms: s.medianLoopDelayP99Ms,
      ...(s.medianLatencyP50Ms !== undefined && { latencyP50Ms: s.medianLatencyP50Ms }),
      ...(s.medianLatencyP99Ms !== undefined && { latencyP99Ms: s.medianLatencyP99Ms }),
      ...(s.medianClientLatencyP50Ms !== undefined && { clientP50Ms: s.medianClientLatencyP50Ms }),
      ...(s.medianClientLatencyP99Ms !== undefined && { clientP99Ms: s.medianClientLatencyP99Ms }),
      ...(s.medianFirstResultMs !== undefined && { firstResultMs: s.medianFirstResultMs }),
      startupMs: s.medianStartupMs,
      coldWallMs: s.medianColdWallMs,
      outcomes: Object.entries(cell.samples[0]?.verdict.tally ?? {})
        .map(([kind, count]) => `${kind} ${formatNumber(count)}`)
        .join(' · '),
      timeoutMultiple: s.medianWallMs / cell.point.timeoutMs,
      ...(s.maxHandlesLeft !== undefined && {
        leftOver: s.maxHandlesLeft + (s.maxThreadsLeft ?? 0),
      }),
      ratios,
    }
  })
}
