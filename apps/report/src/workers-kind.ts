/**
 * "Threads or processes for CPU work in Node?": every variant that declares
 * `workers: 'processes'` set beside its own contestant's default variant
 * (threads) on each point both ran with workers — throughput, bytes per
 * second, start-up, the cold call and peak memory — with the ratio of
 * processes to threads from core's `ratioOf`. Nothing here knows a workload:
 * the pairs are whatever the file holds.
 */
import { formatBytes, formatNumber, type OkCell, type Results, variantKey } from '@arena/core'
import { okCells, variantLabel, variantOf, workloadsOf } from './cells.ts'
import { type RatioView, ratioBetween, ratioView } from './ratios.ts'

/** One side of a pair at one point. */
export interface WorkersSide {
  readonly itemsPerSecond: number
  readonly megabytesPerSecond: number
  readonly startupMs: number
  readonly coldWallMs: number
  readonly peakRssBytes: number
}

/** Threads against processes at one point. */
export interface WorkersRow {
  readonly workload: string
  readonly workloadTitle: string
  readonly items: string
  readonly pointId: string
  readonly pointLabel: string
  readonly bytes: number
  readonly threads: WorkersSide
  readonly processes: WorkersSide
  /** Processes' throughput over threads' (< 1: processes are slower). */
  readonly ratio: RatioView
}

/** One contestant's threads/processes pair. */
export interface WorkersView {
  readonly threadsKey: string
  readonly processesKey: string
  readonly threadsTitle: string
  readonly processesTitle: string
  readonly rows: readonly WorkersRow[]
  /** The answer in one sentence, from the smallest and largest items of the first workload. */
  readonly answer: string
}

const side = (c: OkCell): WorkersSide => ({
  itemsPerSecond: c.stats.medianItemsPerSecond,
  megabytesPerSecond: c.stats.medianMegabytesPerSecond,
  startupMs: c.stats.medianStartupMs,
  coldWallMs: c.stats.medianColdWallMs,
  peakRssBytes: c.stats.medianPeakRssBytes,
})

function answerOf(rows: readonly WorkersRow[], threads: string, processes: string): string {
  const first = rows[0]
  if (!first) return ''
  const same = rows.filter((r) => r.workload === first.workload).sort((a, b) => a.bytes - b.bytes)
  const small = same[0] as WorkersRow
  const large = same[same.length - 1] as WorkersRow
  const per = (r: WorkersRow) =>
    `${formatBytes(r.bytes)} ${r.items}: ${formatNumber(r.threads.itemsPerSecond)}/s on threads against ${formatNumber(r.processes.itemsPerSecond)}/s on processes (processes ${r.ratio.text})`
  const sizes = small === large ? per(small) : `${per(small)}; ${per(large)}`
  return `${first.workloadTitle}, ${threads} against ${processes} — ${sizes}. Start-up ${formatNumber(small.threads.startupMs, 1)} ms on threads, ${formatNumber(small.processes.startupMs, 1)} ms on processes; peak memory ${formatBytes(small.threads.peakRssBytes)} against ${formatBytes(small.processes.peakRssBytes)} (the processes' own memory is not in that figure).`
}

/** Every threads/processes pair of the run; empty when no variant runs on processes. */
export function workersViews(results: Results): WorkersView[] {
  const ok = okCells(results, 'speed')
  const titles = new Map(workloadsOf(results).map((w) => [w.id as string, w]))
  const byKey = Map.groupBy(ok, (c) => `${variantKey(c)} ${c.workload}/${c.point.id}`)
  const keys = [...new Set(ok.map(variantKey))]
  return keys.flatMap((processesKey) => {
    const [implementation = '', variant = ''] = processesKey.split('/')
    if (variantOf(results, { implementation, variant })?.workers !== 'processes') return []
    const threadsKey = `${implementation}/default`
    const rows = ok
      .filter((c) => variantKey(c) === processesKey && c.point.parallelism > 0)
      .flatMap((c): WorkersRow[] => {
        const twin = byKey.get(`${threadsKey} ${c.workload}/${c.point.id}`)?.[0]
        if (!twin) return []
        const info = titles.get(c.workload)
        return [
          {
            workload: c.workload,
            workloadTitle: info?.title ?? c.workload,
            items: info?.items ?? 'items',
            pointId: c.point.id,
            pointLabel: c.point.label,
            bytes: c.point.bytes,
            threads: side(twin),
            processes: side(c),
            ratio: ratioView(ratioBetween(results, c, twin)),
          },
        ]
      })
    if (rows.length === 0) return []
    const threadsTitle = variantLabel(results, { implementation, variant: 'default' }).title
    const processesTitle = variantLabel(results, { implementation, variant }).title
    return [
      {
        threadsKey,
        processesKey,
        threadsTitle,
        processesTitle,
        rows,
        answer: answerOf(rows, threadsTitle, processesTitle),
      },
    ]
  })
}
