/**
 * The "before" picture: how many times the throughput of doing one thing at a
 * time each variant reaches, on every speed point the reference ran. The
 * reference is whichever variant declares no concurrency (`limits` of
 * `concurrency: 1, parallelism: 0`); with none that ran, there is no such view.
 * The file stores ratios against its baseline only, so these come from core's
 * `ratioOf` (or the stored figure when the reference is the baseline).
 */
import { isSequential, type OkCell, type Results, variantKey, type WorkloadId } from '@arena/core'
import { okCells, variantLabel, workloadsOf } from './cells.ts'
import { type RatioView, ratioBetween, ratioView } from './ratios.ts'

/** Every variant's speed-up over the no-concurrency reference, one table per workload. */
export interface SpeedupView {
  /** `impl/variant` of the reference: a variant that declares `concurrency: 1, parallelism: 0`. */
  readonly reference: string
  readonly referenceTitle: string
  readonly workloads: readonly {
    readonly workload: WorkloadId
    readonly title: string
    readonly points: readonly { readonly id: string; readonly label: string }[]
    readonly rows: readonly {
      readonly variantKey: string
      readonly variantTitle: string
      readonly kind: 'idiomatic' | 'tuned'
      /** By point id; absent where either side has no verified result. */
      readonly ratios: Readonly<Record<string, RatioView>>
    }[]
  }[]
}

/** The speed-ups over the no-concurrency reference, or undefined when no such variant ran. */
export function speedups(results: Results): SpeedupView | undefined {
  const ok = okCells(results, 'speed')
  const sequential = results.contestants.flatMap((c) =>
    c.variants.filter((v) => isSequential(v.limits)).map((v) => ({ key: `${c.id}/${v.id}`, v })),
  )
  const found = sequential.find((s) => ok.some((c) => variantKey(c) === s.key))
  if (!found) return undefined
  const pointKey = (c: OkCell) => `${c.workload}/${c.point.id}`
  const reference = new Map(
    ok.filter((c) => variantKey(c) === found.key).map((c) => [pointKey(c), c] as const),
  )
  const workloads = workloadsOf(results).flatMap((info) => {
    const points = [...reference.values()]
      .filter((c) => c.workload === info.id)
      .map((c) => ({ id: c.point.id, label: c.point.label }))
    if (points.length === 0) return []
    const mine = ok.filter((c) => c.workload === info.id && variantKey(c) !== found.key)
    const keys = [...new Set(mine.map(variantKey))]
    const rows = keys.map((key) => {
      const ratios: Record<string, RatioView> = {}
      const own = mine.filter((c) => variantKey(c) === key)
      for (const cell of own) {
        const ref = reference.get(pointKey(cell))
        if (ref) ratios[cell.point.id] = ratioView(ratioBetween(results, cell, ref))
      }
      const label = variantLabel(results, own[0] ?? { implementation: key, variant: '' })
      return { variantKey: key, variantTitle: label.title, kind: label.kind, ratios }
    })
    return [{ workload: info.id, title: info.title, points, rows }]
  })
  return { reference: found.key, referenceTitle: found.v.title, workloads }
}
