/**
 * The plan of a run: which cells it measures. A cell is one variant × workload
 * × point; the plan is built from the profile's grid, the command line's
 * filters and the A/A twins, in a stable order, and the ceiling tools are
 * planned beside the speed points they bound. A run under a runtime other
 * than the default (runtimes.ts) carries it on every cell, and in the cell's
 * id (`…@bun`), so cells of several runtimes never share an id. Shuffling,
 * per round, is seeded.
 */
import {
  AA_TWIN_SUFFIX,
  createRandom,
  effectiveLimits,
  type Implementation,
  type Point,
  type WorkloadId,
  workloadIds,
} from '@arena/core'
import type { Discovered } from './discover.ts'
import type { Profile } from './profiles.ts'
import { DEFAULT_RUNTIME, type PreparedRuntime } from './runtimes.ts'

/** A cell as the runner schedules it and the child runs it. */
export interface CellPlan {
  /** `<impl>/<variant>/<workload>/<point>`, then `@<runtime>` unless the default; an A/A twin's variant ends in `-twin`. */
  readonly id: string
  readonly implementation: string
  readonly variant: string
  /** The variant actually run: differs from `variant` only for an A/A twin. */
  readonly runVariant: string
  readonly workload: WorkloadId
  readonly section: 'speed' | 'robustness'
  /** `contestant`, or `ceiling`: a ceiling tool, run like a contestant, reported as the point's ceiling. */
  readonly role: 'contestant' | 'ceiling'
  readonly point: Point
  /** Absolute path of the implementation module. */
  readonly entry: string
  /** The runtime the cell's child runs under; absent: the harness's Node 24. */
  readonly runtime?: PreparedRuntime
}

/** Which cells to run. Empty lists mean all. */
export interface Filters {
  readonly implementations: readonly string[]
  readonly variants: readonly string[]
  readonly workloads: readonly WorkloadId[]
  /** Point ids (empty: every point of the profile). */
  readonly points?: readonly string[]
}

/** What a plan is made from. */
export interface PlanInput {
  readonly profile: Profile
  readonly contestants: readonly Discovered[]
  readonly filters: Filters
  /** `<impl>/<variant>` keys to run twice under two names (A/A); empty for none. */
  readonly aa: readonly string[]
  /** The ceiling tools, or undefined to measure no ceiling. */
  readonly ceiling?: { readonly implementation: Implementation; readonly entry: string }
  /** The runtime every cell runs under; absent: the harness's Node 24. */
  readonly runtime?: PreparedRuntime
}

const wanted = (filter: readonly string[], ...names: string[]) =>
  filter.length === 0 || names.some((n) => filter.includes(n))

/** Every cell of `input`, in a stable order: contestants' cells, then the ceiling tools'. */
export function planCells(input: PlanInput): CellPlan[] {
  const { profile, contestants, filters, aa, runtime } = input
  const suffix = runtime && runtime.name !== DEFAULT_RUNTIME ? `@${runtime.name}` : ''
  const onRuntime = runtime ? { runtime } : {}
  const plans: CellPlan[] = []
  for (const contestant of contestants) {
    const impl = contestant.implementation
    if (!wanted(filters.implementations, impl.id)) continue
    for (const variant of impl.variants) {
      const key = `${impl.id}/${variant.id}`
      if (aa.length > 0 && !aa.includes(key)) continue
      // A profile of default variants only still runs any variant asked for by name.
      const asked = filters.variants.length > 0 || aa.length > 0
      if (profile.defaultVariantsOnly && variant.id !== 'default' && !asked) continue
      if (!wanted(filters.variants, variant.id, key)) continue
      const names = aa.length > 0 ? [variant.id, `${variant.id}${AA_TWIN_SUFFIX}`] : [variant.id]
      for (const workload of workloadIds) {
        if (!variant.workloads[workload] || !wanted(filters.workloads, workload)) continue
        const points = [...profile.points[workload], ...(profile.robustness?.[workload] ?? [])]
        const central = profile.centralPoints?.[workload]
        // A variant that declares a lower limit runs the same code at every point whose
        // effective limits match: it is measured once there, at the first such point,
        // and at the central points (where speed-ups over it are taken).
        const effectiveSeen = new Set<string>()
        for (const point of points) {
          if (!wanted(filters.points ?? [], point.id)) continue
          // Robustness is a property of each contestant, measured on its default variant.
          if (point.faults && variant.id !== 'default') continue
          // Sweeps are the default variant's; the others run at the central points.
          if (!point.faults && central && variant.id !== 'default' && !central.includes(point.id))
            continue
          if (variant.limits && !point.faults && !central?.includes(point.id)) {
            const e = effectiveLimits(variant.limits, point)
            const same = JSON.stringify({ ...point, id: '', label: '', items: 0, ...e })
            if (effectiveSeen.has(same)) continue
            effectiveSeen.add(same)
          }
          for (const name of names)
            plans.push({
              id: `${impl.id}/${name}/${workload}/${point.id}${suffix}`,
              implementation: impl.id,
              variant: name,
              runVariant: variant.id,
              workload,
              section: point.faults ? 'robustness' : 'speed',
              role: 'contestant',
              point,
              entry: contestant.entry,
              ...onRuntime,
            })
        }
      }
    }
  }
  const ceiling = input.ceiling
  if (!ceiling) return plans
  // Ceilings bound speed; a robustness cell is judged on its outcomes, not against one.
  const speedPoints = new Map<string, { workload: WorkloadId; point: Point }>()
  for (const p of plans)
    if (p.section === 'speed') speedPoints.set(`${p.workload}/${p.point.id}`, p)
  for (const { workload, point } of speedPoints.values())
    for (const tool of ceiling.implementation.variants) {
      if (!tool.workloads[workload]) continue
      // The same rule as the contestants': tools other than the default at the central points.
      const central = profile.centralPoints?.[workload]
      if (central && tool.id !== 'default' && !central.includes(point.id)) continue
      plans.push({
        id: `${ceiling.implementation.id}/${tool.id}/${workload}/${point.id}${suffix}`,
        implementation: ceiling.implementation.id,
        variant: tool.id,
        runVariant: tool.id,
        workload,
        section: 'speed',
        role: 'ceiling',
        point,
        entry: ceiling.entry,
        ...onRuntime,
      })
    }
  return plans
}

/** Fisher–Yates with a seeded source: the same seed and round give the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}
