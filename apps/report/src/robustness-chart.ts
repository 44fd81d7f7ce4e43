/**
 * Robustness as outcomes, not speed: for each fault point, one bar per
 * variant splitting its items by how each ended (`ok`, `http-status`,
 * `timeout`, …) as its verified run tallied them, each part labelled with
 * its count, so a reader sees that every item ended with exactly one
 * outcome and which; a variant whose cell failed (a wrong answer, a limit
 * breach) says so in its row instead of a bar.
 */
import { formatNumber, type Results, variantKey, type WorkloadId } from '@arena/core'
import type { TopLevelSpec } from 'vega-lite'
import { workloadsOf } from './cells.ts'
import { nameOf, variantNames } from './central.ts'
import { BASE, render } from './vega.ts'

/** One part of a bar: the items of one outcome kind. */
interface Part {
  readonly label: string
  readonly outcome: string
  readonly x0: number
  readonly x1: number
  readonly count: number
}

/** One fault point's outcomes, drawn, with the failed cells in words. */
export interface RobustnessView {
  readonly id: string
  readonly workload: WorkloadId
  readonly title: string
  readonly svg: string
  readonly failed: readonly string[]
}

/** Outcome colours: `ok` blue, failures warm or grey, each also named in the legend and on the bar. */
const OUTCOME_COLOURS: Readonly<Record<string, string>> = {
  ok: '#0072B2',
  'http-status': '#E69F00',
  timeout: '#D55E00',
  network: '#AA3377',
  aborted: '#777777',
  'worker-crashed': '#009E73',
}
const OTHER = ['#8A6D00', '#3A8FC7', '#6B4C9A', '#444444']

function spec(
  parts: readonly Part[],
  rows: readonly string[],
  failed: readonly { label: string; text: string }[],
): TopLevelSpec {
  const outcomes = [...new Set(parts.map((p) => p.outcome))]
  const colours = outcomes.map((o, i) => OUTCOME_COLOURS[o] ?? (OTHER[i % OTHER.length] as string))
  const y = {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: [...rows],
    axis: { labelLimit: 170, ticks: false, domain: false },
  }
  const x = {
    type: 'quantitative',
    title: 'items, by how they ended',
    axis: { format: ',d', tickCount: 4 },
  }
  return {
    ...BASE,
    width: 360,
    height: Math.max(1, rows.length) * 22,
    layer: [
      {
        data: { values: parts.map((p) => ({ ...p })) },
        mark: { type: 'bar', height: 14, stroke: '#fff', strokeWidth: 1 },
        encoding: {
          y,
          x: { ...x, field: 'x0' },
          x2: { field: 'x1' },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: null,
            scale: { domain: outcomes, range: colours },
          },
        },
      },
      {
        data: {
          values: parts
            .filter((p) => p.x1 - p.x0 > 0)
            .map((p) => ({ ...p, mid: (p.x0 + p.x1) / 2, text: formatNumber(p.count) })),
        },
        mark: { type: 'text', fontSize: 10, color: '#fff', fontWeight: 600 },
        encoding: { y, x: { ...x, field: 'mid' }, text: { field: 'text' } },
      },
      {
        data: { values: failed.map((f) => ({ ...f, at: 0 })) },
        mark: { type: 'text', align: 'left', fontSize: 10, color: '#000' },
        encoding: { y, x: { ...x, field: 'at' }, text: { field: 'text' } },
      },
    ],
  } as unknown as TopLevelSpec
}

/** Every fault point of the run, drawn as outcome bars. */
export async function robustness(results: Results): Promise<RobustnessView[]> {
  const names = variantNames(results)
  const cells = results.cells.filter((c) => c.section === 'robustness')
  const views = workloadsOf(results).flatMap((info) =>
    [
      ...Map.groupBy(
        cells.filter((c) => c.workload === info.id),
        (c) => c.point.id,
      ).values(),
    ].map(async (group) => {
      const point = group[0]?.point
      const rows: string[] = []
      const parts: Part[] = []
      const failed: { label: string; text: string }[] = []
      for (const cell of group) {
        const label = nameOf(names, variantKey(cell))
        rows.push(label)
        if (cell.status === 'failed') {
          failed.push({ label, text: `cell failed — ${cell.failure.reason}` })
          continue
        }
        let x = 0
        for (const [outcome, count] of Object.entries(cell.samples[0]?.verdict.tally ?? {})) {
          parts.push({ label, outcome, x0: x, x1: x + count, count })
          x += count
        }
      }
      return {
        id: `robustness--${info.id}--${point?.id ?? ''}`,
        workload: info.id,
        title: `${info.title} — ${point?.label ?? ''}`,
        svg: await render(spec(parts, rows, failed)),
        failed: group.flatMap((c) =>
          c.status === 'failed'
            ? [`${nameOf(names, variantKey(c))}: ${c.failure.reason} — ${c.failure.message}`]
            : [],
        ),
      }
    }),
  )
  return Promise.all(views)
}
