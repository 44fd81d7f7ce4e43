/**
 * The derived answers that belong on a figure of the file's charts, as
 * marks: each saturation point (from `derived.saturation`) on the line it
 * was found on, and each break-even work size (from `derived.breakEven`) as
 * a rule on a chart over item size for that many workers. A saturation
 * entry names its line only in words, so it is matched to a figure's line by
 * data instead: the same workload and variant, the same swept concurrencies,
 * and the very median it reports as the best at its best concurrency.
 */
import {
  type BreakEven,
  type Chart,
  formatBytes,
  formatCompact,
  formatNumber,
  type OkCell,
  type Results,
  type Saturation,
} from '@arena/core'
import { nameOf } from './central.ts'
import { threadsText } from './labels.ts'

/** A derived answer drawn on a figure, and the same in words for its caption. */
export interface ChartMark {
  readonly kind: 'saturation' | 'break-even'
  /** The variant it belongs to (`impl/variant`), for a saturation point. */
  readonly series?: string
  /** Where on x; absent for a break-even the sweep never reached (words only). */
  readonly x?: number
  /** Where on its series, for a saturation point; a break-even is a rule across the figure. */
  readonly y?: number
  /** Drawn beside the mark. */
  readonly label: string
  /** The caption's sentence. */
  readonly text: string
}

interface Context {
  readonly workload: string
  readonly chart: Chart
  readonly sameOf: Readonly<Record<string, number | string | undefined>>
  readonly rows: readonly { series: string; x: number; y: number; cellId?: string }[]
  readonly cells: readonly OkCell[]
  readonly names: ReadonlyMap<string, string>
}

const sameSet = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length &&
  [...a].sort((x, y) => x - y).every((x, i) => x === [...b].sort((p, q) => p - q)[i])

function saturationMark(s: Saturation, ctx: Context): ChartMark | undefined {
  const rows = ctx.rows.filter((r) => r.series === s.variant)
  if (
    !sameSet(
      rows.map((r) => r.x),
      s.swept,
    )
  )
    return undefined
  const best = rows.find((r) => r.x === s.bestConcurrency)
  const cell = ctx.cells.find((c) => c.id === best?.cellId)
  if (cell?.stats.medianItemsPerSecond !== s.bestItemsPerSecond) return undefined
  const at = rows.find((r) => r.x === s.concurrency)
  if (!at) return undefined
  const [low, high] = s.ci.map((c) => formatNumber(c))
  const range = low === high ? '' : ` [${low}–${high}]`
  return {
    kind: 'saturation',
    series: s.variant,
    x: s.concurrency,
    y: at.y,
    label: `${formatNumber(s.concurrency)}${range}`,
    text: `${nameOf(ctx.names, s.variant)} saturates at concurrency ${formatNumber(s.concurrency)}${range} (95% of its best, ${formatCompact(s.bestItemsPerSecond, 0)}/s at ${formatNumber(s.bestConcurrency)})`,
  }
}

function breakEvenMarks(list: readonly BreakEven[], ctx: Context): ChartMark[] {
  const workers = Number(ctx.sameOf.parallelism)
  if (ctx.chart.x !== 'bytes' || !(workers > 0)) return []
  const mine = list.filter(
    (b) => b.workers === workers && ctx.rows.some((r) => r.series === b.variant),
  )
  const marks: ChartMark[] = []
  for (const group of Map.groupBy(mine, (b) => `${b.mode}/${b.bytes ?? 'never'}`).values()) {
    const first = group[0] as BreakEven
    const who = group.map((b) => nameOf(ctx.names, b.variant)).join(', ')
    if (first.bytes === undefined) {
      marks.push({
        kind: 'break-even',
        label: '',
        text: `${who}: ${threadsText(workers)} never beat the event loop ${first.mode} in this sweep`,
      })
      continue
    }
    marks.push({
      kind: 'break-even',
      x: first.bytes,
      label: `${first.mode}: ${formatBytes(first.bytes)}`,
      text: `${who}: ${threadsText(workers)} beat the event loop ${first.mode} from ${formatBytes(first.bytes)}${first.confirmedBytes === undefined ? ' (never significantly)' : first.confirmedBytes === first.bytes ? '' : ` (significantly from ${formatBytes(first.confirmedBytes)})`}`,
    })
  }
  return marks
}

/** The marks of one figure. */
export function marksOf(results: Results, ctx: Context): ChartMark[] {
  const saturation =
    ctx.chart.x === 'concurrency'
      ? results.derived.saturation
          .filter((s) => s.workload === ctx.workload)
          .flatMap((s) => saturationMark(s, ctx) ?? [])
      : []
  const breakEven = breakEvenMarks(
    results.derived.breakEven.filter((b) => b.workload === ctx.workload),
    ctx,
  )
  return [...saturation, ...breakEven]
}
