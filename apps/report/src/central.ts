/**
 * The central point of a workload and how a variant is named on the page.
 * The results file does not say which of a workload's points is central, so
 * the report takes the one where the most variants were verified (a profile
 * sweeps the default variants and runs the others at its central points);
 * among equals, the one with the most workers, then the largest items, then
 * the most items, then the highest concurrency — the most work at once.
 * Variants are named by their title, `(tuned)` marked, with the
 * `impl/variant` key where two titles would read the same.
 */
import { isSequential, type OkCell, type Point, type Results, variantKey } from '@arena/core'
import { okCells, variantLabel, variantOf } from './cells.ts'

/** A workload's central point and its verified speed cells, fastest first. */
export interface Central {
  readonly point: Point
  readonly cells: readonly OkCell[]
}

const byWork = (a: Point, b: Point) =>
  b.parallelism - a.parallelism ||
  b.bytes - a.bytes ||
  b.items - a.items ||
  b.concurrency - a.concurrency

/** The central point of `workload`, or undefined when none of its speed cells was verified. */
export function centralPoint(results: Results, workload: string): Central | undefined {
  const cells = okCells(results, 'speed').filter((c) => c.workload === workload)
  const byPoint = [...Map.groupBy(cells, (c) => c.point.id).values()]
  const chosen = byPoint.sort(
    (a, b) =>
      new Set(b.map(variantKey)).size - new Set(a.map(variantKey)).size ||
      byWork((a[0] as OkCell).point, (b[0] as OkCell).point),
  )[0]
  if (!chosen) return undefined
  const sorted = [...chosen].sort(
    (a, b) => b.stats.medianItemsPerSecond - a.stats.medianItemsPerSecond,
  )
  return { point: (sorted[0] as OkCell).point, cells: sorted }
}

/** Whether a variant declares it runs less at once than asked (the no-concurrency reference). */
export function isLimited(results: Results, cell: Pick<OkCell, 'implementation' | 'variant'>) {
  const limits = variantOf(results, cell)?.limits
  return limits !== undefined && isSequential(limits)
}

/** The page's name of every variant of the file, by `impl/variant`: its title, `(tuned)` marked. */
export function variantNames(results: Results): ReadonlyMap<string, string> {
  const keys = [
    ...new Set([
      ...results.contestants.flatMap((c) => c.variants.map((v) => `${c.id}/${v.id}`)),
      ...results.cells.map(variantKey),
    ]),
  ]
  const titled = keys.map((key) => {
    const [implementation = '', variant = ''] = key.split('/')
    const label = variantLabel(results, { implementation, variant })
    return { key, title: label.kind === 'tuned' ? `${label.title} (tuned)` : label.title }
  })
  const count = Map.groupBy(titled, (t) => t.title)
  return new Map(
    titled.map((t) => [
      t.key,
      (count.get(t.title)?.length ?? 0) > 1 ? `${t.title} [${t.key}]` : t.title,
    ]),
  )
}

/** One variant's name on the page. */
export function nameOf(names: ReadonlyMap<string, string>, key: string): string {
  return names.get(key) ?? key
}
