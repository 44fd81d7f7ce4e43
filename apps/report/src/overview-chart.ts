/**
 * The first screen's chart of a workload: every variant verified at its
 * central point (central.ts), fastest first, as its median throughput with
 * its 95% interval, the median printed beside it, the point's verified
 * ceiling a dotted rule. A tuned variant is hollow with a dashed interval
 * and `(tuned)` in its name; the no-concurrency reference, when it ran, is
 * among them, so the distance to doing one thing at a time is in view.
 */
import {
  formatCompact,
  type Point,
  type Results,
  verifiedCeiling,
  type WorkloadId,
} from '@arena/core'
import type { TopLevelSpec } from 'vega-lite'
import { workloadsOf } from './cells.ts'
import { centralPoint, nameOf, variantNames } from './central.ts'
import { ceilingName } from './labels.ts'
import { CEILING_COLOUR, looks } from './palette.ts'
import { BASE, lookScales, render, Y_FORMAT } from './vega.ts'

/** One variant at the central point. */
export interface OverviewRow {
  readonly series: string
  readonly label: string
  readonly kind: 'idiomatic' | 'tuned'
  readonly y: number
  readonly low: number
  readonly high: number
  /** The median as printed beside it. */
  readonly text: string
}

/** A workload's first-screen chart, as data. */
export interface OverviewData {
  readonly id: string
  readonly workload: WorkloadId
  readonly title: string
  readonly point: Point
  readonly unit: string
  readonly rows: readonly OverviewRow[]
  readonly ceiling?: { readonly y: number; readonly label: string }
}

/** A drawn first-screen chart. */
export interface OverviewView {
  readonly id: string
  readonly workload: WorkloadId
  readonly title: string
  readonly svg?: string
  readonly missing?: string
}

/** The first-screen chart of every workload with a verified speed cell. */
export function overviewData(results: Results): OverviewData[] {
  const names = variantNames(results)
  const look = looks(results)
  return workloadsOf(results).flatMap((info) => {
    const central = centralPoint(results, info.id)
    if (!central) return []
    const ceiling = verifiedCeiling(results.ceilings, {
      workload: info.id,
      point: central.point,
    })
    const unit = `${info.items}/s`
    return [
      {
        id: `overview--${info.id}`,
        workload: info.id,
        title: `${info.title} — ${central.point.label}`,
        point: central.point,
        unit,
        rows: central.cells.map((c) => {
          const key = `${c.implementation}/${c.variant}`
          return {
            series: key,
            label: nameOf(names, key),
            kind: look.get(key)?.kind ?? 'idiomatic',
            y: c.stats.medianItemsPerSecond,
            low: c.stats.ciItemsPerSecond[0],
            high: c.stats.ciItemsPerSecond[1],
            text: formatCompact(c.stats.medianItemsPerSecond, 0),
          }
        }),
        ...(ceiling?.itemsPerSecond !== undefined && {
          ceiling: {
            y: ceiling.itemsPerSecond,
            label: `ceiling (${ceilingName(results, ceiling)}) ${formatCompact(ceiling.itemsPerSecond, 0)}`,
          },
        }),
      },
    ]
  })
}

/** Rows of the chart, px: the chart grows with its variants, never scrolls. */
const ROW_PX = 17

/** The Vega-Lite spec of a first-screen chart. */
export function overviewSpec(data: OverviewData, results: Results): TopLevelSpec {
  const top = Math.max(data.ceiling?.y ?? 0, ...data.rows.map((r) => r.high))
  const scales = lookScales(
    data.rows.map((r) => ({ label: r.label, key: r.series })),
    looks(results),
  )
  const y = {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: data.rows.map((r) => r.label),
    axis: { labelLimit: 170, ticks: false, domain: false, labelFontSize: 11 },
  }
  // Room on the right for the printed medians.
  const x = {
    type: 'quantitative',
    title: `${data.unit} (median, 95% interval)`,
    scale: { domain: [0, top * 1.2], nice: false },
    axis: { format: Y_FORMAT, tickCount: 4, grid: true, titleFontSize: 11 },
  }
  const colour = { field: 'label', type: 'nominal', scale: scales.colour, legend: null }
  const rows = data.rows.map((r) => ({ ...r }))
  // Each layer gets only its rows, and an empty layer is left out: Vega gives an empty mark
  // container an ARIA role with no name.
  const only = (values: readonly object[], layer: object) =>
    values.length > 0 ? [{ data: { values }, ...layer }] : []
  const layer: object[] = [
    {
      data: { values: rows },
      mark: { type: 'rule', strokeWidth: 2 },
      encoding: {
        y,
        x: { ...x, field: 'low' },
        x2: { field: 'high' },
        color: colour,
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          scale: {
            domain: ['idiomatic', 'tuned'],
            range: [
              [1, 0],
              [3, 2],
            ],
          },
          legend: null,
        },
      },
    },
    ...only(
      rows.filter((r) => r.kind !== 'tuned'),
      {
        mark: { type: 'point', filled: true, size: 60, opacity: 1, shape: 'circle' },
        encoding: { y, x: { ...x, field: 'y' }, color: colour },
      },
    ),
    ...only(
      rows.filter((r) => r.kind === 'tuned'),
      {
        mark: {
          type: 'point',
          filled: false,
          size: 60,
          strokeWidth: 1.8,
          opacity: 1,
          shape: 'circle',
        },
        encoding: { y, x: { ...x, field: 'y' }, color: colour },
      },
    ),
    {
      data: { values: rows },
      mark: { type: 'text', align: 'left', dx: 5, fontSize: 10, color: '#333' },
      encoding: { y, x: { ...x, field: 'high' }, text: { field: 'text' } },
    },
  ]
  if (data.ceiling)
    layer.push(
      {
        data: { values: [{ ...data.ceiling }] },
        mark: { type: 'rule', color: CEILING_COLOUR, strokeDash: [2, 3], strokeWidth: 1.6 },
        encoding: { x: { ...x, field: 'y' } },
      },
      {
        data: { values: [{ ...data.ceiling }] },
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'bottom',
          dx: -3,
          dy: -2,
          fontSize: 10,
          color: CEILING_COLOUR,
        },
        encoding: { x: { ...x, field: 'y' }, y: { value: 0 }, text: { field: 'label' } },
      },
    )
  return {
    ...BASE,
    width: 330,
    height: Math.max(2, data.rows.length) * ROW_PX,
    padding: { top: 14, left: 4, right: 4, bottom: 4 },
    layer,
  } as unknown as TopLevelSpec
}

/** Every workload's first-screen chart, drawn, or why it cannot be. */
export async function overviews(results: Results): Promise<OverviewView[]> {
  const data = overviewData(results)
  return Promise.all(
    workloadsOf(results).map(async (info) => {
      const mine = data.find((d) => d.workload === info.id)
      if (!mine)
        return {
          id: `overview--${info.id}`,
          workload: info.id,
          title: info.title,
          missing: 'no verified speed result in this run',
        }
      return {
        id: mine.id,
        workload: mine.workload,
        title: mine.title,
        svg: await render(overviewSpec(mine, results)),
      }
    }),
  )
}
