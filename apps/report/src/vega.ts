/**
 * Vega-Lite to static SVG, at build time: the page inlines the SVG, so it
 * runs no script, makes no request and needs nothing from the CSP. Also the
 * few encodings every chart of the page shares: each variant's colour and
 * shape (palette.ts) as explicit scales over the names the legend shows, the
 * y-axis number format that matches core's `formatCompact`, and x ticks that
 * sit exactly on the measured values with labels computed by core's
 * formatter.
 */
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { CEILING_COLOUR, type Look } from './palette.ts'

/** d3-format's spelling of `formatCompact(x, 2)`. */
export const Y_FORMAT = ',.2~f'

/** What every spec starts with. */
export const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'transparent',
  config: {
    font: 'system-ui, sans-serif',
    legend: {
      labelLimit: 190,
      orient: 'bottom',
      columns: 2,
      symbolSize: 70,
      symbolOpacity: 1,
      symbolStrokeWidth: 1.6,
    },
    axis: { labelFontSize: 11, titleFontSize: 11 },
    view: { stroke: null },
  },
} as const

/** A Vega expression giving each measured x value its label, and '' to any other tick. */
export function labelExpression(values: readonly number[], labels: readonly string[]): string {
  return values.reduceRight(
    (rest, value, i) => `datum.value === ${value} ? ${JSON.stringify(labels[i] ?? '')} : ${rest}`,
    "''",
  )
}

/** The series of a figure, as its legend names them, with the look of each. */
export interface Legend {
  readonly label: string
  /** The `impl/variant` whose look it takes, or `ceiling`. */
  readonly key: string
}

/** Colour and shape scales over the legend's labels, in the order given, labels unique. */
export function lookScales(entries: readonly Legend[], looks: ReadonlyMap<string, Look>) {
  const unique = [...new Map(entries.map((e) => [e.label, e])).values()]
  const look = (e: Legend) =>
    e.key === 'ceiling' ? { colour: CEILING_COLOUR, shape: 'triangle-up' } : looks.get(e.key)
  return {
    colour: {
      domain: unique.map((e) => e.label),
      range: unique.map((e) => look(e)?.colour ?? '#333333'),
    },
    shape: {
      domain: unique.map((e) => e.label),
      range: unique.map((e) => look(e)?.shape ?? 'circle'),
    },
  }
}

/**
 * Draws a spec into SVG markup, every number with at most two decimals (a
 * hundredth of a pixel is below what a screen shows; vega writes up to
 * fourteen, a quarter of the page's weight).
 */
export async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return (await view.toSVG()).replaceAll(/(\d\.\d{2})\d+/g, '$1')
  } finally {
    view.finalize()
  }
}
