/**
 * Results as they complete: at each workload's central point, how soon each
 * variant's first item ended (from the call's start), and each item's
 * latency as the client saw it (p50 / p99 from the item's start to its
 * outcome) beside the mock server's own view where there is one. A variant
 * that reports outcomes only at the end has a first result as late as its
 * whole call; one that streams them, a first result a fraction of it.
 */
import type { Results } from '@arena/core'
import { variantLabel, workloadsOf } from './cells.ts'
import { type Central, centralPoint } from './central.ts'

/** One variant's timing of its results at a workload's central point. */
export interface FirstResultRow {
  readonly variantKey: string
  readonly variantTitle: string
  readonly kind: 'idiomatic' | 'tuned'
  readonly firstResultMs: number
  readonly wallMs: number
  readonly clientP50Ms?: number
  readonly clientP99Ms?: number
  readonly serverP50Ms?: number
  readonly serverP99Ms?: number
}

/** A workload's central point and its rows, soonest first result first. */
export interface FirstResultsView {
  readonly workload: string
  readonly title: string
  readonly pointId: string
  readonly pointLabel: string
  readonly rows: readonly FirstResultRow[]
}

/** The views, one per workload whose central point has first-result figures. */
export function firstResults(results: Results): FirstResultsView[] {
  return workloadsOf(results).flatMap((info) => {
    const central: Central | undefined = centralPoint(results, info.id)
    if (!central) return []
    const rows = central.cells.flatMap((c): FirstResultRow[] => {
      const s = c.stats
      if (s.medianFirstResultMs === undefined) return []
      const label = variantLabel(results, c)
      return [
        {
          variantKey: label.key,
          variantTitle: label.title,
          kind: label.kind,
          firstResultMs: s.medianFirstResultMs,
          wallMs: s.medianWallMs,
          ...(s.medianClientLatencyP50Ms !== undefined && {
            clientP50Ms: s.medianClientLatencyP50Ms,
          }),
          ...(s.medianClientLatencyP99Ms !== undefined && {
            clientP99Ms: s.medianClientLatencyP99Ms,
          }),
          ...(s.medianLatencyP50Ms !== undefined && { serverP50Ms: s.medianLatencyP50Ms }),
          ...(s.medianLatencyP99Ms !== undefined && { serverP99Ms: s.medianLatencyP99Ms }),
        },
      ]
    })
    if (rows.length === 0) return []
    return [
      {
        workload: info.id,
        title: info.title,
        pointId: central.point.id,
        pointLabel: central.point.label,
        rows: rows.sort((a, b) => a.firstResultMs - b.firstResultMs),
      },
    ]
  })
}
