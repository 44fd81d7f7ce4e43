/**
 * The verdict of each workload: the lesson the harness wrote from the run's
 * numbers, then what the stored ratios say of each idiomatic variant against
 * the run's baseline — at how many points it is significantly faster, slower
 * or no different, and its widest significant margin. Only verified speed
 * cells take part and only stored figures are quoted; tuned variants are in
 * the tables, not in the verdict.
 */
import {
  type Ratio,
  type Results,
  variantKey,
  type WorkloadId,
  type WorkloadInfo,
} from '@arena/core'
import { okCells, variantLabel, workloadsOf } from './cells.ts'
import { ratioView } from './ratios.ts'

/** The verdict for one workload. */
export interface VerdictView {
  readonly workload: WorkloadId
  readonly title: string
  /** The harness's lesson for this run, verbatim; empty when the file has none. */
  readonly lesson: string
  /** One sentence per idiomatic variant against the baseline, or one saying why there is none. */
  readonly comparisons: readonly string[]
  /** Cells of this workload that failed (any section). */
  readonly failed: number
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function comparison(
  title: string,
  key: string,
  entries: readonly { ratio: Ratio; label: string }[],
): string {
  const faster = entries.filter((e) => e.ratio.significant && e.ratio.value > 1).length
  const slower = entries.filter((e) => e.ratio.significant && e.ratio.value < 1).length
  const same = entries.length - faster - slower
  const counts = [
    faster > 0 && `faster at ${faster}`,
    slower > 0 && `slower at ${slower}`,
    same > 0 && `no significant difference at ${same}`,
  ].filter(Boolean)
  const widest = entries
    .filter((e) => e.ratio.significant)
    .sort((a, b) => Math.abs(Math.log(b.ratio.value)) - Math.abs(Math.log(a.ratio.value)))[0]
  return `${title} (${key}): ${counts.join(', ')} of ${plural(entries.length, 'point')}${widest ? `; widest ${ratioView(widest.ratio).text} at ${widest.label}` : ''}.`
}

/** The verdict of one described workload. */
export function verdictFor(results: Results, info: WorkloadInfo): VerdictView {
  const verdict = (comparisons: string[]) => ({
    workload: info.id,
    title: info.title,
    lesson: info.lesson,
    comparisons,
    failed: results.cells.filter((c) => c.workload === info.id && c.status === 'failed').length,
  })
  const cells = okCells(results, 'speed').filter(
    (c) => c.workload === info.id && variantLabel(results, c).kind === 'idiomatic',
  )
  if (cells.length === 0) return verdict(['No verified speed result for this workload.'])
  const others = cells.filter((c) => variantKey(c) !== results.baseline)
  if (others.length === cells.length)
    return verdict([
      `The baseline ${results.baseline} has no verified result here, so there are no ratios to quote.`,
    ])
  if (others.length === 0)
    return verdict([
      `Only the baseline ${results.baseline} has verified results here; nothing to compare.`,
    ])
  const byVariant = new Map<string, { title: string; entries: { ratio: Ratio; label: string }[] }>()
  for (const cell of others) {
    const ratio = results.derived.cells[cell.id]?.ratio
    if (!ratio) continue
    const key = variantKey(cell)
    const group = byVariant.get(key) ?? { title: variantLabel(results, cell).title, entries: [] }
    group.entries.push({ ratio, label: cell.point.label })
    byVariant.set(key, group)
  }
  const lines = [...byVariant.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => comparison(group.title, key, group.entries))
  return verdict(
    lines.length > 0
      ? lines
      : ['No variant shares a point with the baseline, so there are no ratios to quote.'],
  )
}

/** Verdicts, one per workload of the run. */
export function verdicts(results: Results): VerdictView[] {
  return workloadsOf(results).map((info) => verdictFor(results, info))
}
