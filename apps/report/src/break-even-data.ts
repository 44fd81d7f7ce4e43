/**
 * The workers' break-even as figures of its own: for each workload and pool
 * size the file derived one for (`derived.breakEven`), the pool's throughput
 * over the event loop's by item size, warm and cold, each ratio with its
 * interval, a rule at 1 (below it the loop is faster) and the break-even
 * size marked. The ratios are the stored ones; nothing is computed here.
 */
import { type BreakEven, formatBytes, type Results, type WorkloadId } from '@arena/core'
import { workloadsOf } from './cells.ts'
import { nameOf, variantNames } from './central.ts'
import { MIN_LINE_POINTS } from './chart-data.ts'
import type { ChartMark } from './chart-marks.ts'
import { threadsText } from './labels.ts'
import { looks } from './palette.ts'

/** One ratio of a break-even line. */
export interface BreakEvenRow {
  readonly series: string
  readonly label: string
  readonly kind: 'idiomatic' | 'tuned'
  readonly mode: 'warm' | 'cold'
  readonly x: number
  readonly y: number
  readonly low: number
  readonly high: number
  readonly line: boolean
}

/** A figure of one workload's break-even for one pool size. */
export interface BreakEvenData {
  readonly id: string
  readonly workload: WorkloadId
  readonly workers: number
  readonly title: string
  readonly rows: readonly BreakEvenRow[]
  readonly xValues: readonly number[]
  readonly xLabels: readonly string[]
  readonly marks: readonly ChartMark[]
}

function marks(list: readonly BreakEven[], names: ReadonlyMap<string, string>): ChartMark[] {
  return [...Map.groupBy(list, (b) => `${b.mode}/${b.bytes ?? 'never'}`).values()].map((group) => {
    const first = group[0] as BreakEven
    const who = group.map((b) => nameOf(names, b.variant)).join(', ')
    if (first.bytes === undefined)
      return {
        kind: 'break-even' as const,
        label: '',
        text: `${who}: never faster than the event loop ${first.mode} in this sweep`,
      }
    const confirmed =
      first.confirmedBytes === undefined
        ? ', never significantly'
        : first.confirmedBytes === first.bytes
          ? ''
          : `, significantly from ${formatBytes(first.confirmedBytes)}`
    return {
      kind: 'break-even' as const,
      x: first.bytes,
      label: `${first.mode}: ${formatBytes(first.bytes)}`,
      text: `${who}: faster than the event loop ${first.mode} from ${formatBytes(first.bytes)}${confirmed}`,
    }
  })
}

/** Every break-even figure of the run, by workload then pool size. */
export function breakEvenData(results: Results): BreakEvenData[] {
  const names = variantNames(results)
  const look = looks(results)
  return workloadsOf(results).flatMap((info) => {
    const mine = results.derived.breakEven.filter((b) => b.workload === info.id)
    return [...Map.groupBy(mine, (b) => b.workers).entries()]
      .sort(([a], [b]) => a - b)
      .map(([workers, list]) => {
        const rows = list.flatMap((b) =>
          b.ratios.map((r) => ({
            series: `${b.variant}|${b.mode}`,
            label: `${nameOf(names, b.variant)}, ${b.mode}`,
            kind: look.get(b.variant)?.kind ?? ('idiomatic' as const),
            mode: b.mode,
            x: r.bytes,
            y: r.value,
            low: r.ci[0],
            high: r.ci[1],
            line: b.ratios.length >= MIN_LINE_POINTS,
          })),
        )
        const xValues = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b)
        return {
          id: `break-even--${info.id}--workers-${workers}`,
          workload: info.id,
          workers,
          title: `${info.title}: ${threadsText(workers)} against the event loop, by item size`,
          rows,
          xValues,
          xLabels: xValues.map(formatBytes),
          marks: marks(list, names),
        }
      })
  })
}
