/**
 * The curves: every figure of `chart-data.ts` and `break-even-data.ts`
 * becomes the same layered Vega-Lite spec — each series measured at three
 * values of x or more a line with its interval as a band, any other series
 * points with error bars, the verified ceiling dotted grey, saturation
 * points ringed and labelled on their line, break-evens as labelled rules,
 * and for ratios a rule at 1 — drawn at build time into inline SVG. A tuned
 * variant is dashed, thinner and hollow; in a break-even figure the cold
 * call is dashed instead. Log scales where the chart says so (symlog where
 * the axis must show 0).
 */
import type { Results } from '@arena/core'
import type { TopLevelSpec } from 'vega-lite'
import { type BreakEvenData, breakEvenData } from './break-even-data.ts'
import { type ChartData, chartData } from './chart-data.ts'
import type { ChartMark } from './chart-marks.ts'
import { looks, STROKES } from './palette.ts'
import { BASE, labelExpression, lookScales, render, Y_FORMAT } from './vega.ts'

/** A rendered figure, or the reason it could not be drawn. */
export interface ChartView {
  readonly id: string
  /** The file's chart id this figure draws, or `break-even`. */
  readonly chartId: string
  readonly workload: string
  readonly title: string
  /** Whether it is a curve: some series measured at three values of x or more. */
  readonly sweep: boolean
  /** Its marks in words: saturation points and break-evens. */
  readonly notes: readonly string[]
  readonly svg?: string
  readonly missing?: string
}

/** What the one curve renderer needs of a figure. */
export interface CurveInput {
  readonly xTitle: string
  readonly yTitle: string
  readonly xLog: boolean
  readonly xValues: readonly number[]
  readonly xLabels: readonly string[]
  readonly rows: readonly {
    readonly series: string
    readonly label: string
    readonly kind: 'idiomatic' | 'tuned' | 'ceiling'
    readonly x: number
    readonly y: number
    readonly low?: number
    readonly high?: number
    readonly line: boolean
    readonly mode?: 'warm' | 'cold'
  }[]
  readonly marks: readonly ChartMark[]
  /** A horizontal rule, like 1 on a ratio axis. */
  readonly reference?: { readonly y: number; readonly label: string }
  /** What the dash tells apart: the kind of variant, or warm and cold. */
  readonly dashBy: 'kind' | 'mode'
}

const dashScale = (dashBy: CurveInput['dashBy'], present: ReadonlySet<string>) => {
  const all =
    dashBy === 'kind'
      ? (['idiomatic', 'tuned', 'ceiling'] as const).map((k) => [k, STROKES[k].dash] as const)
      : ([
          ['warm', STROKES.idiomatic.dash],
          ['cold', [5, 3]],
        ] as const)
  const shown = all.filter(([k]) => present.has(k))
  return { domain: shown.map(([k]) => k), range: shown.map(([, d]) => [...d]) }
}

/** The Vega-Lite spec of a figure with at least one row. */
export function curveSpec(input: CurveInput, results: Results): TopLevelSpec {
  const min = Math.min(...input.xValues)
  // A log scale cannot place 0 (parallelism 0 is the event loop): symlog can.
  const scale = input.xLog ? (min > 0 ? { type: 'log', base: 2 } : { type: 'symlog' }) : {}
  const data = input.rows.map((r) => ({ ...r, dash: input.dashBy === 'kind' ? r.kind : r.mode }))
  const keyOf = (series: string) => series.split('|')[0] ?? series
  const scales = lookScales(
    input.rows.map((r) => ({ label: r.label, key: keyOf(r.series) })),
    looks(results),
  )
  const colour = { field: 'label', type: 'nominal', title: null, scale: scales.colour }
  const shape = { field: 'label', type: 'nominal', title: null, scale: scales.shape }
  const x = {
    field: 'x',
    type: 'quantitative',
    title: input.xTitle,
    scale: { ...scale, nice: false, padding: 16 },
    axis: {
      values: [...input.xValues],
      labelExpr: labelExpression(input.xValues, input.xLabels),
      tickMinStep: 1,
      grid: false,
      // Vega's own description quotes the padded domain to twelve decimals.
      description: `x axis: ${input.xTitle}, at ${input.xLabels.join(', ')}`,
    },
  }
  const y = {
    field: 'y',
    type: 'quantitative',
    title: input.yTitle,
    axis: { format: Y_FORMAT, description: `y axis: ${input.yTitle}` },
  }
  const banded = data.filter((d) => d.low !== undefined && d.high !== undefined)
  // Each layer gets only its rows, and an empty layer is left out: Vega gives an empty mark
  // container an ARIA role with no name, which screen readers (and axe) stumble on.
  const only = (rows: readonly object[], layer: object) =>
    rows.length > 0 ? [{ data: { values: rows }, ...layer }] : []
  const dash = dashScale(input.dashBy, new Set(data.map((d) => String(d.dash))))
  const widths = {
    domain: ['idiomatic', 'tuned', 'ceiling'],
    range: (['idiomatic', 'tuned', 'ceiling'] as const).map((k) => STROKES[k].width),
  }
  const saturation = input.marks.filter((m) => m.kind === 'saturation' && m.y !== undefined)
  const rules = input.marks.filter((m) => m.kind === 'break-even' && m.x !== undefined)
  const layer: object[] = [
    ...only(
      banded.filter((d) => d.line),
      {
        mark: { type: 'area', opacity: 0.14 },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative' },
          y2: { field: 'high' },
          color: colour,
        },
      },
    ),
    ...only(
      banded.filter((d) => !d.line),
      {
        mark: { type: 'rule', strokeWidth: 1.4 },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative' },
          y2: { field: 'high' },
          color: colour,
        },
      },
    ),
    ...only(
      data.filter((d) => d.line),
      {
        mark: { type: 'line' },
        encoding: {
          x,
          y,
          color: colour,
          detail: { field: 'series' },
          // Told apart in the legend's names (`(tuned)`, `, cold`) and the section's key.
          strokeDash: { field: 'dash', type: 'nominal', scale: dash, legend: null },
          strokeWidth: {
            field: 'kind',
            type: 'ordinal',
            sort: widths.domain,
            scale: widths,
            legend: null,
          },
          order: { field: 'x', type: 'quantitative' },
        },
      },
    ),
    ...only(
      data.filter((d) => d.kind !== 'tuned'),
      {
        mark: { type: 'point', filled: true, size: 42, opacity: 1 },
        encoding: { x, y, color: colour, shape },
      },
    ),
    ...only(
      data.filter((d) => d.kind === 'tuned'),
      {
        mark: { type: 'point', filled: false, size: 48, strokeWidth: 1.5, opacity: 1 },
        encoding: { x, y, color: colour, shape },
      },
    ),
  ]
  if (saturation.length > 0)
    layer.push(
      {
        data: { values: saturation.map((m) => ({ ...m })) },
        mark: {
          type: 'point',
          shape: 'circle',
          size: 300,
          filled: false,
          color: '#000',
          strokeWidth: 1.2,
        },
        encoding: { x, y },
      },
      {
        data: { values: saturation.map((m) => ({ ...m })) },
        mark: { type: 'text', dy: -14, fontSize: 10, fontWeight: 600, color: '#000' },
        encoding: { x, y, text: { field: 'label' } },
      },
    )
  if (rules.length > 0)
    layer.push(
      {
        data: { values: rules.map((m) => ({ ...m })) },
        mark: { type: 'rule', color: '#000', strokeDash: [4, 2], strokeWidth: 1 },
        encoding: { x },
      },
      {
        data: { values: rules.map((m, i) => ({ ...m, row: 8 + i * 12 })) },
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#000' },
        encoding: {
          x,
          y: { field: 'row', type: 'quantitative', scale: null },
          text: { field: 'label' },
        },
      },
    )
  if (input.reference)
    layer.push({
      data: { values: [{ ...input.reference }] },
      mark: { type: 'rule', color: '#000', strokeWidth: 1 },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    })
  return {
    ...BASE,
    // The whole figure, legend and axes included, is this wide, so figures line up.
    width: 460,
    height: 230,
    autosize: { type: 'fit-x', contains: 'padding' },
    layer,
  } as unknown as TopLevelSpec
}

const fromChart = (d: ChartData): CurveInput => ({
  xTitle: d.chart.xTitle,
  yTitle: d.chart.yTitle,
  xLog: d.chart.xLog,
  xValues: d.xValues,
  xLabels: d.xLabels,
  rows: d.rows,
  marks: d.marks,
  dashBy: 'kind',
})

const fromBreakEven = (d: BreakEvenData): CurveInput => ({
  xTitle: 'item size',
  yTitle: 'pool ÷ event loop (> 1: pool faster)',
  xLog: true,
  xValues: d.xValues,
  xLabels: d.xLabels,
  rows: d.rows,
  marks: d.marks,
  reference: { y: 1, label: 'break-even' },
  dashBy: 'mode',
})

/** Every curve of the page, drawn: the file's charts, then the break-even figures. */
export async function charts(results: Results): Promise<ChartView[]> {
  const fromFile = chartData(results).map(async (data) => {
    const head = {
      id: data.id,
      chartId: data.chart.id,
      workload: data.workload,
      title: data.title,
      sweep: data.sweep,
      notes: data.marks.map((m) => m.text),
    }
    if (data.rows.length === 0)
      return { ...head, missing: 'no verified cell in this run to draw it' }
    return { ...head, svg: await render(curveSpec(fromChart(data), results)) }
  })
  const breakEven = breakEvenData(results).map(async (data) => ({
    id: data.id,
    chartId: 'break-even',
    workload: data.workload,
    title: data.title,
    sweep: data.rows.some((r) => r.line),
    notes: data.marks.map((m) => m.text),
    svg: await render(curveSpec(fromBreakEven(data), results)),
  }))
  return Promise.all([...fromFile, ...breakEven])
}
