/**
 * What moves a workload's throughput, measured: how far apart the models'
 * own default variants are, how far a contestant's other variants are from
 * its default (a native client, a tuned path), how much concurrency or a
 * pool of workers changes the same variant's throughput, and how close the
 * best comes to the verified ceiling. Each factor has a size (a multiple,
 * ≥ 1) and a sentence quoting the stored figures with their intervals, so
 * the first screen can name the factor that matters most. Only verified
 * speed cells count; ratios come from ratios.ts (stored against the
 * baseline, core's `ratioOf` otherwise).
 */
import {
  formatBytes,
  formatCompact,
  formatNumber,
  type OkCell,
  type Ratio,
  type Results,
  variantKey,
} from '@arena/core'
import { okCells } from './cells.ts'
import { nameOf } from './central.ts'
import { ceilingName, spreadText, threadsText, timesText } from './labels.ts'
import { rateRatioBetween, ratioBetween } from './ratios.ts'

/** A measured factor: its kind, its size as a multiple (≥ 1), and its sentence. */
export interface Factor {
  readonly kind: 'model' | 'variant' | 'concurrency' | 'workers' | 'reference'
  readonly size: number
  readonly text: string
  /** The setting that gets the most out of it: `2 worker threads`, `at least 16 in flight`. */
  readonly setting?: string
}

interface Context {
  readonly results: Results
  readonly names: ReadonlyMap<string, string>
  /** Verified speed cells of the workload. */
  readonly speed: readonly OkCell[]
}

const size = (r: Ratio) => Math.max(r.value, 1 / Math.max(r.value, 1e-9))
const name = (ctx: Context, c: OkCell) => nameOf(ctx.names, variantKey(c))

/**
 * The fields two points of a variant must share to compare one setting: all
 * but it and the item count (a sweep may take fewer items where each is
 * slow); across workers, the concurrency too, which a profile may tie to them.
 */
const SHARED = {
  concurrency: ['parallelism', 'bytes', 'latencyMs', 'ports', 'timeoutMs'],
  parallelism: ['bytes', 'latencyMs', 'ports', 'timeoutMs'],
} as const

function siblings(ctx: Context, cell: OkCell, field: 'concurrency' | 'parallelism'): OkCell[] {
  return ctx.speed.filter(
    (c) =>
      variantKey(c) === variantKey(cell) &&
      c.point[field] !== cell.point[field] &&
      SHARED[field].every((f) => c.point[f] === cell.point[f]),
  )
}

/** Each contestant's representative among `cells`: its `default` variant, else its fastest. */
export function representatives(cells: readonly OkCell[]): OkCell[] {
  return [...Map.groupBy(cells, (c) => c.implementation).values()].map(
    (group) => group.find((c) => c.variant === 'default') ?? (group[0] as OkCell),
  )
}

/** How far apart the contestants' representatives are at the central point. */
export function modelFactor(contenders: readonly OkCell[]): Factor | undefined {
  const reps = representatives(contenders)
  if (reps.length < 2) return undefined
  const rates = reps.map((c) => c.stats.medianItemsPerSecond)
  const spread = Math.max(...rates) / Math.max(Math.min(...rates), 1e-9)
  return {
    kind: 'model',
    size: spread,
    text: `the ${reps.length} models' default variants differ by ${spread < 1.01 ? 'less than 1%' : `up to ${spreadText(spread)}`}`,
  }
}

/** The variant farthest from its own contestant's default, where that is significant. */
export function variantFactor(ctx: Context, cells: readonly OkCell[]): Factor | undefined {
  const found = representatives(cells).flatMap((rep) =>
    cells
      .filter((c) => c.implementation === rep.implementation && c !== rep)
      .map((c) => ({ c, rep, r: ratioBetween(ctx.results, c, rep) }))
      .filter((e) => e.r.significant),
  )
  const far = found.sort((a, b) => size(b.r) - size(a.r))[0]
  if (!far) return undefined
  return {
    kind: 'variant',
    size: size(far.r),
    text: `the variant: ${name(ctx, far.c)} runs at ${timesText(far.r.value, far.r.ci)} of ${name(ctx, far.rep)}`,
  }
}

/** The line of `cell` over concurrency, its saturation point and what concurrency gains on it. */
export function concurrencyFactor(ctx: Context, subjects: readonly OkCell[]): Factor | undefined {
  for (const cell of subjects) {
    const line = [cell, ...siblings(ctx, cell, 'concurrency')].sort(
      (a, b) => a.point.concurrency - b.point.concurrency,
    )
    if (line.length < 2) continue
    const lowest = line[0] as OkCell
    const best = [...line].sort(
      (a, b) => b.stats.medianItemsPerSecond - a.stats.medianItemsPerSecond,
    )[0] as OkCell
    const r = rateRatioBetween(ctx.results, best, lowest)
    const saturation = ctx.results.derived.saturation.find(
      (s) =>
        s.variant === variantKey(cell) &&
        s.workload === cell.workload &&
        s.bestItemsPerSecond === best.stats.medianItemsPerSecond,
    )
    const [low, high] = saturation?.ci ?? [0, 0]
    const range = low === high ? '' : ` [${formatNumber(low)}–${formatNumber(high)}]`
    return {
      kind: 'concurrency',
      size: size(r),
      text: `concurrency: from ${formatNumber(lowest.point.concurrency)} to ${formatNumber(best.point.concurrency)} in flight ${name(ctx, cell)} gains ${timesText(r.value, r.ci)}${saturation ? `, reaching 95% of its best at ${formatNumber(saturation.concurrency)}${range}` : ''}`,
      ...(saturation && { setting: `at least ${formatNumber(saturation.concurrency)} in flight` }),
    }
  }
  return undefined
}

function breakEvenText(ctx: Context, cell: OkCell, workers: number): string {
  const entries = ctx.results.derived.breakEven.filter(
    (b) => b.variant === variantKey(cell) && b.workload === cell.workload && b.workers === workers,
  )
  const said = (['warm', 'cold'] as const).flatMap((mode) => {
    const b = entries.find((e) => e.mode === mode)
    if (!b) return []
    return [b.bytes === undefined ? `never ${mode}` : `from ${formatBytes(b.bytes)} ${mode}`]
  })
  return said.length > 0 ? `; a pool pays ${said.join(' and ')}` : ''
}

/** A pool of workers against the event loop for the same variant and work. */
export function workersFactor(ctx: Context, subjects: readonly OkCell[]): Factor | undefined {
  for (const cell of subjects) {
    const line = [cell, ...siblings(ctx, cell, 'parallelism')]
    const loop = line.find((c) => c.point.parallelism === 0)
    const pool = line
      .filter((c) => c.point.parallelism > 0)
      .sort((a, b) => b.stats.medianItemsPerSecond - a.stats.medianItemsPerSecond)[0]
    if (!loop || !pool) continue
    const r = rateRatioBetween(ctx.results, pool, loop)
    const workers = pool.point.parallelism
    return {
      kind: 'workers',
      size: size(r),
      text: `workers: ${threadsText(workers)} run ${timesText(r.value, r.ci)} the event loop at ${formatBytes(pool.point.bytes)} (${name(ctx, pool)})${breakEvenText(ctx, pool, workers)}`,
      ...(r.value > 1 && { setting: `on ${threadsText(workers)}` }),
    }
  }
  return undefined
}

/** The best against the variant that does one thing at a time, when no sweep says more. */
export function referenceFactor(ctx: Context, best: OkCell, limited: readonly OkCell[]) {
  const reference = limited[0]
  if (!reference) return undefined
  const r = ratioBetween(ctx.results, best, reference)
  return {
    kind: 'reference' as const,
    size: size(r),
    text: `doing one thing at a time: ${name(ctx, best)} runs ${timesText(r.value, r.ci)} ${name(ctx, reference)}`,
  }
}

/** The best's share of the point's verified ceiling, in words, or ''. */
export function ceilingClause(ctx: Context, best: OkCell): { text: string; share?: number } {
  const share = ctx.results.derived.cells[best.id]?.percentOfCeiling
  const ceiling = ctx.results.ceilings.find(
    (c) => c.workload === best.workload && c.pointId === best.point.id && c.verified,
  )
  if (share === undefined || !ceiling) return { text: '' }
  return {
    text: `the best reaches ${formatNumber(share)}% of the ceiling (${ceilingName(ctx.results, ceiling)})`,
    share,
  }
}

/** What one item costs the recommended variant: CPU of all threads and the loop's delay. */
export function costClause(cell: OkCell, items: string): string {
  const s = cell.stats
  const item = items.endsWith('s') ? items.slice(0, -1) : items
  return `It costs ${formatCompact(s.medianCpuMicrosPerItem, 1)} µs of CPU per ${item}, the loop's delay p99 ${formatCompact(s.medianLoopDelayP99Ms, 1)} ms.`
}

/** The verified speed cells of a workload, and the context factors need. */
export function factorContext(
  results: Results,
  workload: string,
  names: ReadonlyMap<string, string>,
): Context {
  return { results, names, speed: okCells(results, 'speed').filter((c) => c.workload === workload) }
}
