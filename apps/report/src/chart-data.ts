/**
 * What each chart shows, as data: the results file describes every chart of
 * a workload (`x`, `y`, `sameOf`), and this module turns that description
 * into one figure per distinct combination of the `sameOf` fields, each
 * verified variant a series over `x` with the stored interval of its
 * statistic, and the verified ceiling of those points, when the run measured
 * one, a series of its own. A series measured at three values of `x` or more
 * is a line (a curve); one with fewer is drawn as points, so a variant run
 * only at the central point never looks like a curve. The derived answers
 * that belong on a figure — saturation points, break-evens — are its marks
 * (chart-marks.ts). Nothing here knows a workload by name: the per-field
 * wording and per-statistic units are tables over the schema's picklists.
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
import { nameOf, variantNames } from './central.ts'
import { type ChartMark, marksOf } from './chart-marks.ts'
import { ceilingName, threadsText } from './labels.ts'
import { looks } from './palette.ts'

/** Values of x a series needs to be drawn as a line. */
export const MIN_LINE_POINTS = 3

/** One mark of a chart: a variant's (or the ceiling's) figure at one x. */
export interface ChartRow {
  /** `impl/variant`, or `ceiling` for the ceiling. */
  readonly series: string
  /** The series as the legend names it. */
  readonly label: string
  readonly kind: 'idiomatic' | 'tuned' | 'ceiling'
  readonly pointId: string
  /** The cell this row draws; absent for a ceiling. */
  readonly cellId?: string
  readonly x: number
  readonly y: number
  /** The stored 95% interval of `y`, where the file keeps one for that statistic. */
  readonly low?: number
  readonly high?: number
  /** Whether its series is measured at enough values of x to be a line. */
  readonly line: boolean
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
  /** Whether any series is a line: a sweep, drawn among the curves. */
  readonly sweep: boolean
  /** Saturation points and break-evens on this figure, and the same in words. */
  readonly marks: readonly ChartMark[]
}

type SameField = Chart['sameOf'][number]

/** How a shared field reads in a title. */
const sameText = {
  concurrency: (v) => `concurrency ${formatNumber(Number(v))}`,
  parallelism: (v) => (Number(v) === 0 ? 'on the event loop' : threadsText(Number(v))),
  bytes: (v) => formatBytes(Number(v)),
  latencyMs: (v) => `${formatCompact(Number(v))} ms latency`,
  items: (v, info) => `${formatNumber(Number(v))} ${info.items}`,
  ports: (v) => `ports ${String(v).replace('-', '–')}`,
} satisfies Record<SameField, (value: number | string, info: WorkloadInfo) => string>

/** How an x value reads on its axis. */
export const xText = {
  concurrency: (v) => formatNumber(v),
  parallelism: (v) => formatNumber(v),
  bytes: (v) => formatBytes(v),
  items: (v) => formatNumber(v),
} satisfies Record<Chart['x'], (value: number) => string>

/**
 * The 95% interval of each charted statistic: the stored one, or for MB/s the
 * items/s interval times the bytes per item (the same samples, another unit).
 */
const intervalOf = {
  medianItemsPerSecond: (s) => s.ciItemsPerSecond,
  medianMegabytesPerSecond: (s, p) =>
    p.bytes > 0
      ? [(s.ciItemsPerSecond[0] * p.bytes) / 1e6, (s.ciItemsPerSecond[1] * p.bytes) / 1e6]
      : undefined,
  medianWallMs: (s) => s.ciWallMs,
  medianLoopDelayP99Ms: () => undefined,
  medianColdWallMs: (s) => s.ciColdWallMs,
} satisfies Record<
  Chart['y'],
  (stats: Stats, point: Point) => readonly [number, number] | undefined
>

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
  const names = variantNames(results)
  const look = looks(results)
  const xsOf = Map.groupBy(cells, variantKey)
  const variantRows: ChartRow[] = cells.map((c) => {
    const key = variantKey(c)
    const ci = intervalOf[chart.y](c.stats, c.point)
    return {
      series: key,
      label: nameOf(names, key),
      kind: look.get(key)?.kind ?? 'idiomatic',
      pointId: c.point.id,
      cellId: c.id,
      x: c.point[chart.x],
      y: c.stats[chart.y],
      ...(ci && { low: ci[0], high: ci[1] }),
      line: new Set(xsOf.get(key)?.map((o) => o.point[chart.x])).size >= MIN_LINE_POINTS,
    }
  })
  const toUnit = ceilingIn[chart.y]
  const points = [...new Map(cells.map((c) => [c.point.id, c.point])).values()]
  const ceilings = toUnit
    ? points.flatMap((point) => {
        const ceiling = verifiedCeiling(results.ceilings, { workload: info.id, point })
        return ceiling?.itemsPerSecond
          ? [{ point, ceiling, y: toUnit(ceiling.itemsPerSecond, point) }]
          : []
      })
    : []
  const ceilingRows: ChartRow[] = ceilings.map(({ point, ceiling, y }) => ({
    series: 'ceiling',
    label: `ceiling (${ceilingName(results, ceiling)})`,
    kind: 'ceiling',
    pointId: point.id,
    x: point[chart.x],
    y,
    line: ceilings.length >= 2,
  }))
  const rows = [...variantRows, ...ceilingRows]
  const shared = chart.sameOf.flatMap((field, i) => {
    const v = combo[i]
    return v === undefined ? [] : [sameText[field](v, info)]
  })
  const xValues = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b)
  const sameOf = Object.fromEntries(chart.sameOf.map((f, i) => [f, combo[i]]))
  return {
    id: [chart.id, ...chart.sameOf.map((f, i) => `${f}-${combo[i] ?? 'none'}`)].join('--'),
    chart,
    workload: info.id,
    title: shared.length > 0 ? `${chart.title} (${shared.join(', ')})` : chart.title,
    rows,
    xValues,
    xLabels: xValues.map(xText[chart.x]),
    sweep: variantRows.some((r) => r.line),
    marks: marksOf(results, { workload: info.id, chart, sameOf, rows: variantRows, cells, names }),
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
            sweep: false,
            marks: [],
          },
        ]
      return [...combos.values()]
        .sort((a, b) => compareCombos(a.combo, b.combo))
        .map((entry) => figure(results, info, chart, entry.combo, entry.cells))
    }),
  )
}
