import type { OkCell, Results } from '@arena/core'
import { describe, expect, it } from 'vitest'
import { breakEvenData } from '../src/break-even-data.ts'
import { chartData } from '../src/chart-data.ts'
import { charts, curveSpec } from '../src/charts.ts'
import { fixture, HOSTILE } from './fixtures/results.ts'

const figure = (results: Results, id: string) => {
  const found = chartData(results).find((d) => d.id === id)
  if (!found) throw new Error(`no figure ${id}`)
  return found
}
const FETCH_1K = 'fetch-throughput--bytes-1024--latencyMs-0'
const HASH_1M = 'hash-scaling--bytes-1048576'
const ok = (results: Results, id: string) => results.cells.find((c) => c.id === id) as OkCell
const series = (rows: readonly { series: string; x: number; y: number }[], name: string) =>
  rows.filter((r) => r.series === name).map((r) => [r.x, r.y])

/** The text of every `<text>` element of an SVG. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
/** The texts of the x axis: its tick labels and its title. */
const xAxis = (svg: string) =>
  texts(svg.slice(svg.indexOf('aria-label="x axis'), svg.indexOf('aria-label="y axis')))
/** The vertices of each drawn line of an SVG. */
const lineVertices = (svg: string) =>
  [...svg.matchAll(/<g class="mark-line[^>]*>(.*?)<\/g>/gs)].flatMap((g) =>
    [...(g[1] ?? '').matchAll(/<path[^>]* d="([^"]*)"/g)].map(
      (p) => (p[1] ?? '').split(/[ML]/).length - 1,
    ),
  )

type Spec = {
  layer: {
    transform?: { filter: string }[]
    mark: { type: string; filled?: boolean }
    encoding: Record<string, { scale?: object; axis?: Record<string, unknown> }>
  }[]
}
const specOf = (id: string) => {
  const results = fixture()
  const data = figure(results, id)
  return curveSpec(
    {
      ...data.chart,
      xValues: data.xValues,
      xLabels: data.xLabels,
      rows: data.rows,
      marks: data.marks,
      dashBy: 'kind',
    },
    results,
  ) as unknown as Spec
}

describe('chart data from the charts the file describes', () => {
  it('draws one figure per combination of the sameOf fields, titled by what its points share', () => {
    expect(chartData(fixture()).map((d) => [d.id, d.title, d.sweep])).toEqual([
      [FETCH_1K, 'fetch: throughput vs concurrency (1 KiB, 0 ms latency)', true],
      [
        'fetch-throughput--bytes-65536--latencyMs-5',
        'fetch: throughput vs concurrency (64 KiB, 5 ms latency)',
        true,
      ],
      ['hash-scaling--bytes-64', 'hash: MB/s vs worker threads (64 B)', true],
      ['hash-scaling--bytes-65536', 'hash: MB/s vs worker threads (64 KiB)', true],
      [HASH_1M, 'hash: MB/s vs worker threads (1 MiB)', true],
      ['hash-size--parallelism-0', 'hash: MB/s vs item size (on the event loop)', true],
      ['hash-size--parallelism-1', 'hash: MB/s vs item size (1 worker thread)', true],
      ['hash-size--parallelism-2', 'hash: MB/s vs item size (2 worker threads)', true],
      // Two concurrencies are no sweep.
      ['scan-time--ports-1-1024', 'scanPort: time vs concurrency (ports 1–1024)', false],
      ['scan-time--ports-1-65535', 'scanPort: time vs concurrency (ports 1–65535)', true],
      [
        'pipeline-workers--concurrency-64--bytes-65536',
        'pipeline: throughput vs worker threads (concurrency 64, 64 KiB)',
        true,
      ],
    ])
  })

  it('makes a variant measured at three values of x a line, and one measured at fewer points', () => {
    const results = fixture()
    const data = figure(results, FETCH_1K)
    expect(data.xValues).toEqual([1, 4, 16, 64, 256])
    expect(series(data.rows, 'alpha/default')).toEqual(
      [1, 4, 16, 64, 256].map((c) => [
        c,
        ok(results, `alpha/default/fetch/c${c}-b1k-l0`).stats.medianItemsPerSecond,
      ]),
    )
    const lineOf = (key: string) =>
      new Set(data.rows.filter((r) => r.series === key).map((r) => r.line))
    expect(lineOf('alpha/default')).toEqual(new Set([true]))
    expect(lineOf('beta/tuned')).toEqual(new Set([false]))
    expect(data.rows.find((r) => r.series === 'beta/tuned')).toMatchObject({
      kind: 'tuned',
      label: 'beta tuned (tuned)',
    })
    // The robustness point shares bytes and latency with this chart, but is no speed.
    expect(data.rows.some((r) => r.pointId.startsWith('faults-'))).toBe(false)
    // beta failed the 1–1024 scan: it has no series there, and alpha's two points are no line.
    const scan = figure(results, 'scan-time--ports-1-1024').rows
    expect(scan.map((r) => [r.series, r.line])).toEqual([
      ['alpha/default', false],
      ['alpha/default', false],
    ])
  })

  it('keeps the stored interval of y, and for MB/s the items/s interval times the bytes', () => {
    const results = fixture()
    const first = figure(results, FETCH_1K).rows.find(
      (r) => r.series === 'alpha/default' && r.x === 1,
    )
    expect([first?.low, first?.high]).toEqual(
      ok(results, 'alpha/default/fetch/c1-b1k-l0').stats.ciItemsPerSecond,
    )
    const hash = figure(results, HASH_1M).rows.find((r) => r.series === 'beta/default' && r.x === 0)
    const [low, high] = ok(results, 'beta/default/hash/p0-s1m').stats.ciItemsPerSecond
    expect(hash?.low).toBeCloseTo((low * 2 ** 20) / 1e6, 9)
    expect(hash?.high).toBeCloseTo((high * 2 ** 20) / 1e6, 9)
    const scan = figure(results, 'scan-time--ports-1-65535').rows.find(
      (r) => r.series === 'alpha/default' && r.x === 500,
    )
    expect([scan?.low, scan?.high]).toEqual(
      ok(results, 'alpha/default/scanPort/r65535-c500').stats.ciWallMs,
    )
  })

  it('draws a verified ceiling as its own series, in the unit of the chart, and no other', () => {
    const results = fixture()
    expect(series(figure(results, FETCH_1K).rows, 'ceiling')).toEqual([
      [1, 1500],
      [4, 5000],
      [16, 15_000],
      [64, 40_000],
    ])
    expect(figure(results, FETCH_1K).rows.find((r) => r.kind === 'ceiling')?.label).toBe(
      'ceiling (default)',
    )
    const hash = figure(results, HASH_1M).rows
    expect(series(hash, 'ceiling')).toEqual(
      [0, 1, 2].map((p) => [p, (300 * 2 ** p * 2 ** 20) / 1e6]),
    )
    // The unverified 64 KiB ceiling and the unavailable 1–1024 scan ceiling are not drawn.
    for (const id of ['fetch-throughput--bytes-65536--latencyMs-5', 'scan-time--ports-1-1024'])
      expect(figure(results, id).rows.every((r) => r.kind !== 'ceiling')).toBe(true)
    const ceiling = results.ceilings.find((c) => c.pointId === 'c64-b1k-l0')
    if (!ceiling) throw new Error('fixture changed')
    ceiling.verified = false
    expect(series(figure(results, FETCH_1K).rows, 'ceiling')).toHaveLength(3)
  })

  it('labels x ticks with core’s formatter, sizes in binary units', () => {
    const sizes = chartData(fixture()).filter((d) => d.chart.id === 'hash-size')
    expect(sizes.map((d) => d.xLabels)).toEqual([
      ['64 B', '64 KiB', '1 MiB'],
      ['64 B', '64 KiB', '1 MiB'],
      ['64 B', '64 KiB', '1 MiB'],
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

describe('derived answers on the figures', () => {
  it('rings each saturation point on the line it was found on, with its interval', () => {
    const marks = figure(fixture(), FETCH_1K).marks
    expect(marks.map((m) => [m.kind, m.series, m.x, m.label])).toEqual([
      ['saturation', 'alpha/default', 16, '16 [16–64]'],
      ['saturation', 'beta/default', 64, '64'],
    ])
    expect(marks[0]?.y).toBe(
      figure(fixture(), FETCH_1K).rows.find((r) => r.series === 'alpha/default' && r.x === 16)?.y,
    )
    expect(marks[0]?.text).toBe(
      'alpha saturates at concurrency 16 [16–64] (95% of its best, 20,000/s at 64)',
    )
    // The 64 KiB line has its own saturation entries; none of the 1 KiB ones lands there.
    expect(
      figure(fixture(), 'fetch-throughput--bytes-65536--latencyMs-5').marks.map((m) => m.x),
    ).toEqual([64, 64])
  })

  it('matches a saturation point to a line by its data, not its words', () => {
    const results = fixture()
    for (const s of results.derived.saturation) s.bestItemsPerSecond += 1
    expect(figure(results, FETCH_1K).marks).toEqual([])
    const other = fixture()
    for (const s of other.derived.saturation) s.family = 'something else'
    expect(figure(other, FETCH_1K).marks).toHaveLength(2)
  })

  it('rules the break-even sizes across the item-size chart of that many workers', () => {
    const results = fixture()
    expect(figure(results, 'hash-size--parallelism-2').marks.map((m) => [m.x, m.label])).toEqual([
      [64 * 1024, 'warm: 64 KiB'],
      [1 << 20, 'cold: 1 MiB'],
    ])
    expect(figure(results, 'hash-size--parallelism-0').marks).toEqual([])
    for (const b of results.derived.breakEven)
      if (b.workers === 2 && b.mode === 'cold') delete b.bytes
    const cold = figure(results, 'hash-size--parallelism-2').marks.find((m) =>
      m.text.includes('cold'),
    )
    expect(cold).toBeDefined()
    expect(cold?.x).toBeUndefined()
    expect(cold?.text).toMatch(/never beat the event loop cold in this sweep/)
  })

  it('draws each pool size’s break-even as stored ratios by item size, warm and cold', () => {
    const results = fixture()
    const figures = breakEvenData(results)
    expect(figures.map((f) => [f.id, f.workers])).toEqual([
      ['break-even--hash--workers-1', 1],
      ['break-even--hash--workers-2', 2],
    ])
    const two = figures[1]
    const warm = results.derived.breakEven.find(
      (b) => b.variant === 'alpha/default' && b.workers === 2 && b.mode === 'warm',
    )
    expect(
      two?.rows
        .filter((r) => r.series === 'alpha/default|warm')
        .map((r) => [r.x, r.y, r.low, r.high]),
    ).toEqual(warm?.ratios.map((r) => [r.bytes, r.value, r.ci[0], r.ci[1]]))
    expect(two?.marks.map((m) => m.text)).toEqual([
      'alpha, beta: faster than the event loop warm from 64 KiB',
      'alpha, beta: faster than the event loop cold from 1 MiB',
    ])
  })
})

describe('the one curve renderer', () => {
  it('puts x ticks on the measured values, a log scale where asked, the y format core uses', () => {
    const spec = specOf(FETCH_1K)
    const line = spec.layer.find((l) => l.mark.type === 'line')
    expect(line?.encoding.x?.scale).toMatchObject({ type: 'log', base: 2 })
    expect(line?.encoding.x?.axis?.values).toEqual([1, 4, 16, 64, 256])
    expect(line?.encoding.y?.axis?.format).toBe(',.2~f')
    expect(specOf(HASH_1M).layer[0]?.encoding.x?.scale).not.toHaveProperty('type')
  })

  it('tells tuned from idiomatic by dash and hollow marks, not colour alone', () => {
    const spec = specOf(FETCH_1K)
    const line = spec.layer.find((l) => l.mark.type === 'line')
    expect(line?.encoding.strokeDash?.scale).toEqual({
      domain: ['idiomatic', 'tuned', 'ceiling'],
      range: [
        [1, 0],
        [6, 3],
        [2, 3],
      ],
    })
    const tuned = spec.layer.find((l) => l.mark.type === 'point' && l.mark.filled === false)
    expect(tuned?.mark).toMatchObject({ type: 'point', filled: false })
  })

  it('takes a symmetric log scale where a log axis must show 0', () => {
    const data = figure(fixture(), HASH_1M)
    const spec = curveSpec(
      {
        ...data.chart,
        xLog: true,
        xValues: data.xValues,
        xLabels: data.xLabels,
        rows: data.rows,
        marks: [],
        dashBy: 'kind',
      },
      fixture(),
    ) as unknown as Spec
    expect(spec.layer[0]?.encoding.x?.scale).toMatchObject({ type: 'symlog' })
  })

  it('escapes the names it draws: the SVG is inlined into the page as markup', async () => {
    const results = fixture()
    for (const v of results.contestants.find((c) => c.id === 'beta')?.variants ?? [])
      v.title = HOSTILE
    const svg = (await charts(results)).map((v) => v.svg ?? '').join('')
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(svg).not.toContain('<img')
  })

  it('draws every figure as SVG with ticks as core formats them, lines only of three points or more', async () => {
    const views = await charts(fixture())
    expect(views.map((v) => v.id)).toEqual([
      ...chartData(fixture()).map((d) => d.id),
      ...breakEvenData(fixture()).map((d) => d.id),
    ])
    for (const view of views) {
      expect(view.svg).toMatch(/^<svg/)
      // No "2.000000": no tick or label carries a trailing zero decimal or a long fraction.
      for (const text of texts(view.svg ?? '')) expect(text).not.toMatch(/\d\.\d*0$|\d\.\d{3,}/)
      for (const vertices of lineVertices(view.svg ?? ''))
        expect(vertices).toBeGreaterThanOrEqual(3)
    }
    const fetch = texts(views[0]?.svg ?? '')
    for (const label of ['40,000', 'ceiling (default)', 'pages/s (median)', '16 [16–64]'])
      expect(fetch).toContain(label)
    // alpha, beta and the ceiling are lines; beta tuned and alpha's native client are points.
    expect(lineVertices(views[0]?.svg ?? '')).toEqual([5, 5, 4])
    expect(xAxis(views[0]?.svg ?? '')).toEqual(['1', '4', '16', '64', '256', 'concurrency'])
    expect(xAxis(views[2]?.svg ?? '')).toEqual(['0', '1', '2', 'worker threads (0 = event loop)'])
  })
})
