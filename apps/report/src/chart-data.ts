/**
 * What each chart shows, as data: the results file describes every chart of
 * a workload (`x`, `y`, `sameOf`), and this module turns that description
 * into one figure per distinct combination of the `sameOf` fields, each
 * verified variant a line over `x`, and the verified ceiling of those points,
 * when the run measured one, a line of its own. Nothing here knows a workload
 * by name: the per-field wording and per-statistic units are tables over the
 * schema's picklists.
 */
import {
  type Chart,
  formatBytes,
  formatCompact,
  formatNumber,
  type OkCell,
  type Point,
  type Results,
  type Stats,
  variantKey,
  verifiedCeiling,
  type WorkloadId,
  type WorkloadInfo,
} from '@arena/core'
import { okCells, workloadsOf } from './cells.ts'

/** One mark of a chart: a variant's (or the ceiling's) figure at one x. */
export interface ChartRow {
  readonly series: string
  readonly kind: 'variant' | 'ceiling'
  readonly pointId: string
  readonly x: number
  readonly y: number
  /** The stored 95% interval of `y`, where the file keeps one for that statistic. */
  readonly low?: number
  readonly high?: number
}

/** One figure: a chart of the file for one combination of its `sameOf` fields. */
export interface ChartData {
  /** Unique on the page: the chart's id, then the combination. */
  readonly id: string
  readonly chart: Chart
  readonly workload: WorkloadId
  /** The chart's title and what its points share, like `(1 KiB, 0 ms latency)`. */
  readonly title: string
  readonly rows: readonly ChartRow[]
  /** The distinct x values, ascending, and their labels by core's formatter. */
  readonly xValues: readonly number[]
  readonly xLabels: readonly string[]
}

type SameField = Chart['sameOf'][number]

/** How a shared field reads in a title. */
const sameText = {
  concurrency: (v) => `concurrency ${formatNumber(Number(v))}`,
  parallelism: (v) =>
    Number(v) === 0 ? 'on the event loop' : `${formatNumber(Number(v))} worker thread(s)`,
  bytes: (v) => formatBytes(Number(v)),
  latencyMs: (v) => `${formatCompact(Number(v))} ms latency`,
  items: (v, info) => `${formatNumber(Number(v))} ${info.items}`,
  ports: (v) => `ports ${String(v).replace('-', '–')}`,
} satisfies Record<SameField, (value: number | string, info: WorkloadInfo) => string>

/** How an x value reads on its axis. */
const xText = {
  concurrency: (v) => formatNumber(v),
  parallelism: (v) => formatNumber(v),
  bytes: (v) => formatBytes(v),
  items: (v) => formatNumber(v),
} satisfies Record<Chart['x'], (value: number) => string>

/** The stored interval of each charted statistic, where the file keeps one. */
const intervalOf = {
  medianItemsPerSecond: 'ciItemsPerSecond',
  medianMegabytesPerSecond: undefined,
  medianWallMs: 'ciWallMs',
  medianLoopDelayP99Ms: undefined,
  medianColdWallMs: 'ciColdWallMs',
} as const satisfies Record<Chart['y'], keyof Stats | undefined>

/**
 * A ceiling's items per second in the unit of a charted statistic, for a
 * point; undefined where a ceiling has no meaning (loop delay, the cold call).
 */
const ceilingIn = {
  medianItemsPerSecond: (ips) => ips,
  medianMegabytesPerSecond: (ips, p) => (ips * p.bytes) / 1e6,
  medianWallMs: (ips, p) => (p.items / ips) * 1000,
  medianLoopDelayP99Ms: undefined,
  medianColdWallMs: undefined,
} satisfies Record<Chart['y'], ((itemsPerSecond: number, point: Point) => number) | undefined>

const fieldOf = (point: Point, field: SameField): number | string | undefined => point[field]

function compareCombos(a: readonly (number | string | undefined)[], b: typeof a): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]]
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x ?? '').localeCompare(String(y ?? ''), 'en', { numeric: true })
  }
  return 0
}

function figure(
  results: Results,
  info: WorkloadInfo,
  chart: Chart,
  combo: readonly (number | string | undefined)[],
  cells: readonly OkCell[],
): ChartData {
  const interval = intervalOf[chart.y]
  const rows: ChartRow[] = cells.map((c) => {
    const ci = interval ? c.stats[interval] : undefined
    return {
      series: variantKey(c),
      kind: 'variant',
      pointId: c.point.id,
      x: c.point[chart.x],
      y: c.stats[chart.y],
      ...(ci && { low: ci[0], high: ci[1] }),
    }
  })
  const toUnit = ceilingIn[chart.y]
  const points = [...new Map(cells.map((c) => [c.point.id, c.point])).values()]
  if (toUnit)
    for (const point of points) {
      const ceiling = verifiedCeiling(results.ceilings, { workload: info.id, point })
      if (!ceiling?.itemsPerSecond) continue
      rows.push({
        series: `ceiling (${ceiling.tool})`,
        kind: 'ceiling',
        pointId: point.id,
        x: point[chart.x],
        y: toUnit(ceiling.itemsPerSecond, point),
      })
    }
  const shared = chart.sameOf.flatMap((field, i) => {
    const v = combo[i]
    return v === undefined ? [] : [sameText[field](v, info)]
  })
  const xValues = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b)
  return {
    id: [chart.id, ...chart.sameOf.map((f, i) => `${f}-${combo[i] ?? 'none'}`)].join('--'),
    chart,
    workload: info.id,
    title: shared.length > 0 ? `${chart.title} (${shared.join(', ')})` : chart.title,
    rows,
    xValues,
    xLabels: xValues.map(xText[chart.x]),
  }
}

/**
 * Every figure of the page, from the charts the file describes and its
 * verified speed cells; a chart with no verified cell at all is one empty
 * figure, so the page can say so.
 */
export function chartData(results: Results): ChartData[] {
  const speed = okCells(results, 'speed')
  return workloadsOf(results).flatMap((info) =>
    info.charts.flatMap((chart) => {
      const cells = speed.filter((c) => c.workload === info.id)
      const combos = new Map<string, { combo: (number | string | undefined)[]; cells: OkCell[] }>()
      for (const cell of cells) {
        const combo = chart.sameOf.map((f) => fieldOf(cell.point, f))
        const key = JSON.stringify(combo)
        const entry = combos.get(key) ?? { combo, cells: [] }
        entry.cells.push(cell)
        combos.set(key, entry)
      }
      if (combos.size === 0)
        return [
          {
            id: chart.id,
            chart,
            workload: info.id,
            title: chart.title,
            rows: [],
            xValues: [],
            xLabels: [],
          },
        ]
      return [...combos.values()]
        .sort((a, b) => compareCombos(a.combo, b.combo))
        .map((entry) => figure(results, info, chart, entry.combo, entry.cells))
    }),
  )
}
