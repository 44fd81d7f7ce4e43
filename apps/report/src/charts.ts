/**
 * The one chart renderer: every figure of `chart-data.ts` becomes the same
 * Vega-Lite spec (a line per series over x, points marked, the ceiling
 * dashed), drawn at build time into static SVG that is inlined into the page:
 * no script, no network, nothing for the CSP to allow. Axis labels are core's
 * formatter's: the x ticks sit exactly on the measured values with labels
 * computed here, and the y ticks use the d3 format that matches
 * `formatCompact` (thousands separators, at most two decimals, no trailing
 * zeros).
 */
import type { Results } from '@arena/core'
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { type ChartData, chartData } from './chart-data.ts'

/** A rendered figure, or the reason it could not be drawn. */
export interface ChartView {
  readonly id: string
  /** The file's chart id this figure draws. */
  readonly chartId: string
  readonly workload: string
  readonly title: string
  readonly svg?: string
  readonly missing?: string
}

/** d3-format's spelling of `formatCompact(x, 2)`. */
const Y_FORMAT = ',.2~f'

/** A Vega expression giving each measured x value its label, and '' to any other tick. */
function labelExpression(values: readonly number[], labels: readonly string[]): string {
  return values.reduceRight(
    (rest, value, i) => `datum.value === ${value} ? ${JSON.stringify(labels[i] ?? '')} : ${rest}`,
    "''",
  )
}

/** The Vega-Lite spec of a figure with at least one row. */
export function chartSpec(data: ChartData): TopLevelSpec {
  const { chart } = data
  const min = Math.min(...data.xValues)
  // A log scale cannot place 0 (parallelism 0 is the event loop): symlog can.
  const scale = chart.xLog ? (min > 0 ? { type: 'log', base: 2 } : { type: 'symlog' }) : {}
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 240,
    background: 'transparent',
    config: { font: 'system-ui, sans-serif', legend: { labelLimit: 260 } },
    data: { values: data.rows.map((r) => ({ ...r })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: chart.xTitle,
        scale: { ...scale, nice: false, padding: 16 },
        axis: {
          values: [...data.xValues],
          labelExpr: labelExpression(data.xValues, data.xLabels),
          tickMinStep: 1,
          grid: false,
          // Vega's own description quotes the padded domain to twelve decimals.
          description: `x axis: ${chart.xTitle}, at ${data.xLabels.join(', ')}`,
        },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: chart.yTitle,
        axis: { format: Y_FORMAT, description: `y axis: ${chart.yTitle}` },
      },
      color: { field: 'series', type: 'nominal', title: null },
      strokeDash: {
        field: 'kind',
        type: 'nominal',
        scale: {
          domain: ['variant', 'ceiling'],
          range: [
            [1, 0],
            [5, 4],
          ],
        },
        legend: null,
      },
      order: { field: 'x', type: 'quantitative' },
    },
  } as TopLevelSpec
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** Every figure of the page, drawn. */
export async function charts(results: Results): Promise<ChartView[]> {
  return Promise.all(
    chartData(results).map(async (data) => {
      const head = {
        id: data.id,
        chartId: data.chart.id,
        workload: data.workload,
        title: data.title,
      }
      if (data.rows.length === 0)
        return { ...head, missing: 'no verified cell in this run to draw it' }
      return { ...head, svg: await render(chartSpec(data)) }
    }),
  )
}
