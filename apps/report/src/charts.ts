/**
 * The charts, drawn by Vega-Lite at build time into static SVG that is inlined
 * into the page: no script, no network, nothing for the CSP to allow. Each
 * chart is a declarative spec over rows taken from verified cells only.
 */
import type { Cell, Results } from '@arena/core'
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/** A rendered chart, or the reason it could not be drawn. */
export interface ChartView {
  readonly id: string
  readonly title: string
  readonly svg?: string
  readonly missing?: string
}

const okOf = (results: Results, workload: Cell['workload']) =>
  results.cells.filter(
    (c) => c.workload === workload && c.status === 'ok' && c.stats && c.section === 'speed',
  )

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 420,
  height: 240,
  background: 'transparent',
  config: { font: 'system-ui, sans-serif', legend: { labelLimit: 260 } },
} as const

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

async function chart(
  id: string,
  title: string,
  rows: readonly object[],
  spec: (values: object[]) => TopLevelSpec,
  need = 2,
): Promise<ChartView> {
  if (rows.length < need)
    return { id, title, missing: 'not enough verified cells in this run to draw it' }
  return { id, title, svg: await render(spec([...rows])) }
}

const variant = (c: Cell) => `${c.implementation}/${c.variant}`

/** Every chart of the page. */
export async function charts(results: Results): Promise<ChartView[]> {
  const fetchCells = okOf(results, 'fetch')
  const family = fetchCells.filter((c) => c.point.bytes === 1024 && c.point.latencyMs === 0)
  const fetchRows = (family.length > 0 ? family : fetchCells).map((c) => ({
    variant: variant(c),
    concurrency: c.point.concurrency,
    itemsPerSecond: c.stats?.medianItemsPerSecond,
  }))

  const hashCells = okOf(results, 'hash')
  const size = Math.max(0, ...hashCells.map((c) => c.point.bytes))
  const hashRows = hashCells
    .filter((c) => c.point.bytes === size)
    .map((c) => ({
      series: variant(c),
      workers: c.point.parallelism,
      mbps: c.stats?.medianMegabytesPerSecond,
    }))
  const baselineP1 = hashCells.find(
    (c) => c.point.bytes === size && c.point.parallelism === 1 && variant(c) === results.baseline,
  )
  const linear = baselineP1?.stats
    ? [...new Set(hashRows.map((r) => r.workers))]
        .filter((w) => w > 0)
        .map((w) => ({
          series: 'linear scaling of the baseline',
          workers: w,
          mbps: (baselineP1.stats?.medianMegabytesPerSecond ?? 0) * w,
        }))
    : []
  const ceiling = results.ceilings
    .filter(
      (c) =>
        c.workload === 'hash' &&
        c.available &&
        hashCells.some((h) => h.point.id === c.pointId && h.point.bytes === size),
    )
    .map((c) => {
      const point = hashCells.find((h) => h.point.id === c.pointId)?.point
      return {
        series: 'ceiling (node:crypto)',
        workers: point?.parallelism ?? 0,
        mbps: ((c.itemsPerSecond ?? 0) * size) / 1e6,
      }
    })

  const scanCells = okOf(results, 'scanPort')
  const range = scanCells[0]?.point.ports
  const scanRows = scanCells
    .filter((c) => c.point.ports === range)
    .map((c) => ({
      series: variant(c),
      concurrency: c.point.concurrency,
      seconds: (c.stats?.medianWallMs ?? 0) / 1000,
    }))
  const scanCeiling = results.ceilings
    .filter(
      (c) =>
        c.workload === 'scanPort' &&
        c.available &&
        scanCells.some((s) => s.point.id === c.pointId && s.point.ports === range),
    )
    .map((c) => ({
      series: `ceiling (${c.tool})`,
      concurrency: scanCells.find((s) => s.point.id === c.pointId)?.point.concurrency ?? 0,
      seconds: (range ? Number(range.split('-')[1]) : 0) / (c.itemsPerSecond ?? 1),
    }))

  const latencyPoint = fetchCells.find(
    (c) => c.point.concurrency === Math.max(...fetchCells.map((f) => f.point.concurrency)),
  )?.point.id
  const latencyRows = fetchCells
    .filter((c) => c.point.id === latencyPoint)
    .flatMap((c) => [
      { variant: variant(c), percentile: 'p50', ms: c.stats?.medianLatencyP50Ms ?? 0 },
      { variant: variant(c), percentile: 'p99', ms: c.stats?.medianLatencyP99Ms ?? 0 },
    ])

  const loopRows = okOf(results, 'pipeline').map((c) => ({
    variant: variant(c),
    parallelism: `${c.point.parallelism} workers`,
    ms: c.stats?.medianLoopDelayP99Ms ?? 0,
  }))

  return Promise.all([
    chart('fetch-throughput', 'fetch: throughput vs concurrency', fetchRows, (values) => ({
      ...base,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'concurrency',
          type: 'quantitative',
          scale: { type: 'log', base: 2 },
          title: 'concurrency',
        },
        y: { field: 'itemsPerSecond', type: 'quantitative', title: 'pages/s (median)' },
        color: { field: 'variant', type: 'nominal' },
      },
    })),
    chart(
      'hash-scaling',
      `hash: MB/s vs worker threads (${size >= 1 << 20 ? `${size >> 20} MiB` : `${size} B`} items)`,
      [...hashRows, ...linear, ...ceiling],
      (values) => ({
        ...base,
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'workers',
            type: 'quantitative',
            title: 'worker threads (0 = event loop)',
            axis: { tickMinStep: 1 },
          },
          y: { field: 'mbps', type: 'quantitative', title: 'MB/s (median)' },
          color: { field: 'series', type: 'nominal' },
          strokeDash: {
            condition: {
              test: "indexof(datum.series, 'ceiling') >= 0 || indexof(datum.series, 'linear') >= 0",
              value: [4, 3],
            },
            value: [1, 0],
          },
        },
      }),
    ),
    chart(
      'scan-time',
      `scanPort: time vs concurrency (ports ${range ?? ''})`,
      [...scanRows, ...scanCeiling],
      (values) => ({
        ...base,
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'concurrency', type: 'quantitative', scale: { type: 'log', base: 2 } },
          y: { field: 'seconds', type: 'quantitative', title: 'scan time, s (median)' },
          color: { field: 'series', type: 'nominal' },
        },
      }),
      1,
    ),
    chart(
      'fetch-latency',
      `fetch: server-side latency p50 / p99 (${latencyPoint ?? ''})`,
      latencyRows,
      (values) => ({
        ...base,
        data: { values },
        mark: 'bar',
        encoding: {
          y: { field: 'variant', type: 'nominal', title: null },
          yOffset: { field: 'percentile' },
          x: { field: 'ms', type: 'quantitative', title: 'ms (median of runs)' },
          color: { field: 'percentile', type: 'nominal' },
        },
      }),
    ),
    chart(
      'pipeline-loop-delay',
      'pipeline: event-loop delay p99, hashing on the loop vs on workers',
      loopRows,
      (values) => ({
        ...base,
        data: { values },
        mark: 'bar',
        encoding: {
          y: { field: 'variant', type: 'nominal', title: null },
          yOffset: { field: 'parallelism' },
          x: { field: 'ms', type: 'quantitative', title: 'loop delay p99, ms' },
          color: { field: 'parallelism', type: 'nominal' },
        },
      }),
    ),
  ])
}
