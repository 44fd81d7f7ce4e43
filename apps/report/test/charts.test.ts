import type { OkCell, Results } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { chartData } from '../src/chart-data.ts'
import { chartSpec, charts } from '../src/charts.ts'
import { fixture, HOSTILE } from './fixtures/results.ts'

const figure = (results: Results, id: string) => {
  const found = chartData(results).find((d) => d.id === id)
  if (!found) throw new Error(`no figure ${id}`)
  return found
}
const FETCH_1K = 'fetch-throughput--bytes-1024--latencyMs-0'
const ok = (results: Results, id: string) => results.cells.find((c) => c.id === id) as OkCell
const series = (rows: readonly { series: string; x: number; y: number }[], name: string) =>
  rows.filter((r) => r.series === name).map((r) => [r.x, r.y])

/** The text of every `<text>` element of an SVG. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
/** The texts of the x axis: its tick labels and its title. */
const xAxis = (svg: string) =>
  texts(svg.slice(svg.indexOf('aria-label="x axis'), svg.indexOf('aria-label="y axis')))

describe('chart data from the charts the file describes', () => {
  it('draws one figure per combination of the sameOf fields, titled by what its points share', () => {
    expect(chartData(fixture()).map((d) => [d.id, d.title])).toEqual([
      [FETCH_1K, 'fetch: throughput vs concurrency (1 KiB, 0 ms latency)'],
      [
        'fetch-throughput--bytes-65536--latencyMs-5',
        'fetch: throughput vs concurrency (64 KiB, 5 ms latency)',
      ],
      ['hash-scaling--bytes-1048576', 'hash: MB/s vs worker threads (1 MiB)'],
      ['scan-time--ports-1-1024', 'scanPort: time vs concurrency (ports 1–1024)'],
      [
        'pipeline-workers--concurrency-64--bytes-65536',
        'pipeline: throughput vs worker threads (concurrency 64, 64 KiB)',
      ],
    ])
  })

  it('makes each verified variant a line over x of its stored statistic, and nothing else', () => {
    const results = fixture()
    const data = figure(results, FETCH_1K)
    expect(data.xValues).toEqual([1, 4, 16, 64])
    expect(series(data.rows, 'alpha/default')).toEqual(
      [1, 4, 16, 64].map((c) => [
        c,
        ok(results, `alpha/default/fetch/c${c}-b1k-l0`).stats.medianItemsPerSecond,
      ]),
    )
    expect(series(data.rows, 'beta/tuned')).toHaveLength(1)
    // The robustness point shares bytes and latency with this chart, but is no speed.
    expect(data.rows.some((r) => r.pointId.startsWith('faults-'))).toBe(false)
    // beta failed the scan: it has no line there.
    expect(figure(results, 'scan-time--ports-1-1024').rows.map((r) => r.series)).toEqual([
      'alpha/default',
      'alpha/default',
    ])
    // Interval kept for a later band, where the file stores one.
    const first = data.rows.find((r) => r.series === 'alpha/default' && r.x === 1)
    expect([first?.low, first?.high]).toEqual(
      ok(results, 'alpha/default/fetch/c1-b1k-l0').stats.ciItemsPerSecond,
    )
  })

  it('draws a verified ceiling as its own line, in the unit of the chart, and no other', () => {
    const results = fixture()
    expect(series(figure(results, FETCH_1K).rows, 'ceiling (undici loop)')).toEqual([
      [1, 1500],
      [4, 5000],
      [16, 15_000],
      [64, 40_000],
    ])
    const hash = figure(results, 'hash-scaling--bytes-1048576').rows
    expect(series(hash, 'ceiling (node:crypto)')).toEqual(
      [0, 1, 2].map((p) => [p, (300 * 2 ** p * 2 ** 20) / 1e6]),
    )
    // Unverified (autocannon) and unavailable (nmap) ceilings are not drawn.
    for (const id of ['fetch-throughput--bytes-65536--latencyMs-5', 'scan-time--ports-1-1024'])
      expect(figure(results, id).rows.every((r) => r.kind === 'variant')).toBe(true)
    const ceiling = results.ceilings.find((c) => c.pointId === 'c64-b1k-l0')
    if (!ceiling) throw new Error('fixture changed')
    ceiling.verified = false
    expect(series(figure(results, FETCH_1K).rows, 'ceiling (undici loop)')).toHaveLength(3)
  })

  it('labels x ticks with core’s formatter, sizes in binary units', () => {
    const results = fixture()
    const hash = results.workloads.find((w) => w.id === 'hash')
    const cell = ok(results, 'alpha/default/hash/p0-s1m')
    hash?.charts.push({
      id: 'hash-size',
      title: 'hash: MB/s vs item size',
      x: 'bytes',
      xTitle: 'item size',
      xLog: true,
      y: 'medianMegabytesPerSecond',
      yTitle: 'MB/s',
      sameOf: ['parallelism'],
    })
    for (const bytes of [64, 64 * 1024])
      results.cells.push({ ...cell, id: `${cell.id}-${bytes}`, point: { ...cell.point, bytes } })
    const sizes = chartData(results).filter((d) => d.chart.id === 'hash-size')
    expect(sizes.map((d) => [d.title, d.xLabels])).toEqual([
      ['hash: MB/s vs item size (on the event loop)', ['64 B', '64 KiB', '1 MiB']],
      ['hash: MB/s vs item size (1 worker thread(s))', ['1 MiB']],
      ['hash: MB/s vs item size (2 worker thread(s))', ['1 MiB']],
    ])
  })

  it('says a chart with no verified cell cannot be drawn', async () => {
    const results = fixture()
    results.cells = results.cells.filter((c) => c.workload !== 'pipeline')
    const views = await charts(results)
    expect(views.find((v) => v.chartId === 'pipeline-workers')).toMatchObject({
      id: 'pipeline-workers',
      missing: 'no verified cell in this run to draw it',
    })
  })
})

describe('the one renderer', () => {
  it('puts x ticks on the measured values, a log scale where asked, and the ceiling dashed', () => {
    const spec = chartSpec(figure(fixture(), FETCH_1K)) as unknown as {
      encoding: Record<string, { scale?: object; axis?: Record<string, unknown> }>
    }
    expect(spec.encoding.x?.scale).toMatchObject({ type: 'log', base: 2 })
    expect(spec.encoding.x?.axis?.values).toEqual([1, 4, 16, 64])
    expect(spec.encoding.y?.axis?.format).toBe(',.2~f')
    expect(spec.encoding.strokeDash?.scale).toEqual({
      domain: ['variant', 'ceiling'],
      range: [
        [1, 0],
        [5, 4],
      ],
    })
    const hash = chartSpec(figure(fixture(), 'hash-scaling--bytes-1048576')) as unknown as {
      encoding: { x: { scale: { type?: string } } }
    }
    expect(hash.encoding.x.scale.type).toBeUndefined()
  })

  it('takes a symmetric log scale where a log axis must show 0', () => {
    const data = figure(fixture(), 'hash-scaling--bytes-1048576')
    const spec = chartSpec({ ...data, chart: { ...data.chart, xLog: true } }) as unknown as {
      encoding: { x: { scale: { type?: string } } }
    }
    expect(spec.encoding.x.scale.type).toBe('symlog')
  })

  it('escapes the names it draws: the SVG is inlined into the page as markup', async () => {
    const results = fixture()
    for (const cell of results.cells)
      if (cell.implementation === 'beta') cell.implementation = HOSTILE
    const svg = (await charts(results)).map((v) => v.svg ?? '').join('')
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;/default')
    expect(svg).not.toContain('<img')
  })

  it('draws every figure with data as SVG, ticks as core formats them', async () => {
    const views = await charts(fixture())
    expect(views.map((v) => v.id)).toEqual(chartData(fixture()).map((d) => d.id))
    for (const view of views) {
      expect(view.svg).toMatch(/^<svg/)
      // No "2.000000": no tick or label carries a trailing zero decimal or a long fraction.
      for (const text of texts(view.svg ?? '')) expect(text).not.toMatch(/\d\.\d*0$|\d\.\d{3,}/)
    }
    const fetch = texts(views[0]?.svg ?? '')
    for (const label of ['40,000', 'ceiling (undici loop)', 'pages/s (median)'])
      expect(fetch).toContain(label)
    expect(xAxis(views[0]?.svg ?? '')).toEqual(['1', '4', '16', '64', 'concurrency'])
    expect(xAxis(views[2]?.svg ?? '')).toEqual(['0', '1', '2', 'worker threads (0 = event loop)'])
  })
})
