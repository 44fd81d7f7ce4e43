/**
 * Derived figures: everything a results file's readers compute from its
 * facts, computed here and only here, so the harness's summary, the results
 * file and the report say the same thing. `cellStats` summarises one cell's
 * verified samples (medians and bootstrap intervals); `deriveFigures` relates
 * cells to each other and to the ceilings (ratios against the baseline, shares
 * of a verified ceiling); `compareCells` relates a cell to the same cell of
 * another run. The bootstrap is seeded, so the same facts give the same figures.
 */
import { median, quantile, sampleWithReplacement } from 'simple-statistics'
import { formatBytes, formatNumber } from './format.ts'
import { createRandom } from './random.ts'
import type {
  BreakEven,
  Ceiling,
  Cell,
  Derived,
  OkCell,
  Point,
  Ratio,
  Results,
  Sample,
  Saturation,
  Scaling,
  Stats,
} from './results.ts'
import {
  countOutliers,
  halfWidthPercent,
  medianInterval,
  medianOf,
  speedRatio,
} from './statistics.ts'

const interval = (e: { low: number; high: number }): [number, number] => [e.low, e.high]

/**
 * The statistics of a cell's verified samples (at least one).
 * @throws TypeError for no samples
 */
export function cellStats(samples: readonly Sample[], seed: number): Stats {
  const wall = medianInterval(
    samples.map((s) => s.wallMs),
    seed,
  )
  const items = medianInterval(
    samples.map((s) => s.itemsPerSecond),
    seed,
  )
  const startup = medianInterval(
    samples.map((s) => s.startupMs),
    seed,
  )
  const cold = medianInterval(
    samples.map((s) => s.coldWallMs),
    seed,
  )
  // Items of a sample, from its own rate and time (robust to warm-up scaling).
  const cpuPerItem = medianInterval(
    samples.map(
      (s) =>
        ((s.cpuUserMs + s.cpuSystemMs) * 1000) /
        Math.max(1, Math.round(s.itemsPerSecond * (s.wallMs / 1000))),
    ),
    seed,
  )
  const median = (pick: (s: Sample) => number | undefined) => medianOf(samples.map(pick))
  const latencyP50 = median((s) => s.latencyP50Ms)
  const latencyP99 = median((s) => s.latencyP99Ms)
  const firstResult = median((s) => s.firstResultMs)
  const clientP50 = median((s) => s.clientLatencyP50Ms)
  const clientP99 = median((s) => s.clientLatencyP99Ms)
  const peak = samples.map((s) => s.serverPeakInFlight).filter((x): x is number => x !== undefined)
  return {
    n: samples.length,
    medianWallMs: wall.value,
    ciWallMs: interval(wall),
    halfWidthPercent: halfWidthPercent(wall),
    medianItemsPerSecond: items.value,
    ciItemsPerSecond: interval(items),
    medianMegabytesPerSecond: median((s) => s.megabytesPerSecond) ?? 0,
    outliers: countOutliers(samples.map((s) => s.wallMs)),
    medianCpuMs: median((s) => s.cpuUserMs + s.cpuSystemMs) ?? 0,
    medianCpuMicrosPerItem: cpuPerItem.value,
    ciCpuMicrosPerItem: interval(cpuPerItem),
    medianPeakRssBytes: median((s) => s.peakRssBytes) ?? 0,
    medianLoopDelayP99Ms: median((s) => s.loopDelayP99Ms) ?? 0,
    medianLoopUtilization: median((s) => s.loopUtilization) ?? 0,
    medianGcMs: median((s) => s.gcMs) ?? 0,
    ...(latencyP50 !== undefined && { medianLatencyP50Ms: latencyP50 }),
    ...(latencyP99 !== undefined && { medianLatencyP99Ms: latencyP99 }),
    ...(firstResult !== undefined && { medianFirstResultMs: firstResult }),
    ...(clientP50 !== undefined && { medianClientLatencyP50Ms: clientP50 }),
    ...(clientP99 !== undefined && { medianClientLatencyP99Ms: clientP99 }),
    medianStartupMs: startup.value,
    ciStartupMs: interval(startup),
    medianColdWallMs: cold.value,
    ciColdWallMs: interval(cold),
    ...(peak.length > 0 && { maxServerPeakInFlight: Math.max(...peak) }),
    maxHandlesLeft: Math.max(0, ...samples.map((s) => s.handlesLeft ?? 0)),
    maxThreadsLeft: Math.max(0, ...samples.map((s) => s.threadsLeft ?? 0)),
  }
}

/** The suffix of an A/A twin's variant id: `default-twin` is `default` run again under another name. */
export const AA_TWIN_SUFFIX = '-twin'

/** `<impl>/<variant>` of a cell. */
export const variantKey = (cell: Pick<Cell, 'implementation' | 'variant'>): string =>
  `${cell.implementation}/${cell.variant}`

/** The ratio of `subject` against `baseline` on wall time: > 1 means `subject` is faster. */
export function ratioOf(subject: OkCell, baseline: OkCell, seed: number): Ratio {
  const r = speedRatio(
    subject.samples.map((s) => s.wallMs),
    baseline.samples.map((s) => s.wallMs),
    seed,
  )
  return {
    baseline: variantKey(baseline),
    value: r.value,
    ci: [r.low, r.high],
    significant: r.significant,
  }
}

/** The verified ceiling of a point, if its run measured and verified one. */
export function verifiedCeiling(
  ceilings: readonly Ceiling[],
  cell: Pick<Cell, 'workload' | 'point'>,
): Ceiling | undefined {
  return ceilings.find(
    (c) =>
      c.workload === cell.workload &&
      c.pointId === cell.point.id &&
      c.available &&
      c.verified &&
      c.itemsPerSecond !== undefined,
  )
}

/**
 * The figures derived from a run's facts: each speed cell's ratio against the
 * baseline variant on the same point, and each verified cell's share of its
 * point's verified ceiling.
 */
export function deriveFigures(
  facts: Pick<Results, 'cells' | 'ceilings' | 'baseline' | 'seed'>,
): Derived {
  const ok = facts.cells.filter((c): c is OkCell => c.status === 'ok')
  const byKey = new Map(ok.map((c) => [`${variantKey(c)}/${c.workload}/${c.point.id}`, c]))
  const cells: Derived['cells'] = {}
  for (const cell of ok) {
    const base = byKey.get(`${facts.baseline}/${cell.workload}/${cell.point.id}`)
    const ceiling = verifiedCeiling(facts.ceilings, cell)
    const ratio =
      cell.section === 'speed' && base !== undefined ? ratioOf(cell, base, facts.seed) : undefined
    const percent =
      cell.section === 'speed' && ceiling?.itemsPerSecond
        ? (cell.stats.medianItemsPerSecond / ceiling.itemsPerSecond) * 100
        : undefined
    if (ratio === undefined && percent === undefined) continue
    cells[cell.id] = {
      ...(ratio && { ratio }),
      ...(percent !== undefined && { percentOfCeiling: percent }),
    }
  }
  // A/A: a twin is the same code under another name, so a significant difference
  // between the two is the protocol's false-positive rate, not a finding.
  const ratios: Record<string, Ratio> = {}
  for (const twin of ok) {
    if (twin.section !== 'speed' || !twin.variant.endsWith(AA_TWIN_SUFFIX)) continue
    const original = byKey.get(
      `${twin.implementation}/${twin.variant.slice(0, -AA_TWIN_SUFFIX.length)}/${twin.workload}/${twin.point.id}`,
    )
    if (original) ratios[twin.id] = ratioOf(twin, original, facts.seed)
  }
  const pairs = Object.values(ratios)
  const speed = ok.filter((c) => c.section === 'speed')
  const answers = {
    saturation: saturationOf(speed, facts.seed),
    breakEven: breakEvenOf(speed, facts.seed),
    scaling: scalingOf(speed, facts.seed),
  }
  if (pairs.length === 0) return { ...answers, cells }
  return {
    ...answers,
    cells,
    aa: { pairs: pairs.length, significant: pairs.filter((r) => r.significant).length, ratios },
  }
}

/** Resamples for the interval of a sweep's answer. */
const SWEEP_RESAMPLES = 400

/** A line of a sweep in words: the point fields it holds equal, where they say something. */
function familyLabel(
  point: Point,
  fields: readonly ('bytes' | 'latencyMs' | 'ports' | 'parallelism')[],
): string {
  const parts: string[] = []
  for (const field of fields) {
    if (field === 'bytes' && point.bytes > 0) parts.push(formatBytes(point.bytes))
    if (field === 'latencyMs') parts.push(`${formatNumber(point.latencyMs)} ms latency`)
    if (field === 'ports' && point.ports) parts.push(`ports ${point.ports.replace('-', '–')}`)
    if (field === 'parallelism' && point.parallelism > 0) parts.push(`${point.parallelism} workers`)
  }
  return parts.join(', ')
}

const lineKey = (c: OkCell, ...fields: (keyof Point)[]) =>
  [c.workload, variantKey(c), ...fields.map((f) => String(c.point[f] ?? ''))].join('|')

const throughputs = (c: OkCell) => c.samples.map((s) => s.itemsPerSecond)
const coldThroughputs = (c: OkCell) =>
  c.samples.map((s) => s.coldItems / (Math.max(s.coldWallMs, 1e-3) / 1000))

/**
 * Saturation points: on each line of a concurrency sweep (same variant and
 * page, scan range or workers; three concurrencies or more), the smallest
 * concurrency whose median throughput reaches 95% of the line's best.
 */
function saturationOf(cells: readonly OkCell[], seed: number): Saturation[] {
  const lines = Map.groupBy(cells, (c) =>
    lineKey(c, 'bytes', 'latencyMs', 'ports', 'parallelism', 'timeoutMs'),
  )
  const out: Saturation[] = []
  for (const line of lines.values()) {
    const byConcurrency = [...Map.groupBy(line, (c) => c.point.concurrency).entries()]
      .map(([concurrency, group]) => ({ concurrency, cell: group[0] as OkCell }))
      .sort((a, b) => a.concurrency - b.concurrency)
    if (byConcurrency.length < 3) continue
    const saturate = (rates: readonly number[]) => {
      const best = Math.max(...rates)
      const i = rates.findIndex((r) => r >= 0.95 * best)
      return byConcurrency[i]?.concurrency ?? 1
    }
    const medians = byConcurrency.map((p) => p.cell.stats.medianItemsPerSecond)
    const random = createRandom(seed)
    const resampled = Array.from({ length: SWEEP_RESAMPLES }, () =>
      saturate(
        byConcurrency.map((p) => {
          const rates = throughputs(p.cell)
          return median(sampleWithReplacement(rates, rates.length, random))
        }),
      ),
    )
    const bestIndex = medians.indexOf(Math.max(...medians))
    const first = byConcurrency[0]?.cell as OkCell
    out.push({
      workload: first.workload,
      variant: variantKey(first),
      family: familyLabel(first.point, ['bytes', 'latencyMs', 'ports', 'parallelism']),
      concurrency: saturate(medians),
      ci: [quantile(resampled, 0.025), quantile(resampled, 0.975)],
      bestItemsPerSecond: medians[bestIndex] ?? 0,
      bestConcurrency: byConcurrency[bestIndex]?.concurrency ?? 1,
      swept: byConcurrency.map((p) => p.concurrency),
    })
  }
  return out
}

/** Pool ÷ loop throughput from two sets of rates, with its bootstrap interval. */
function rateRatio(pool: readonly number[], loop: readonly number[], seed: number) {
  // speedRatio takes lower-is-better samples: a rate's inverse is a time per item.
  const r = speedRatio(
    pool.map((x) => 1 / x),
    loop.map((x) => 1 / x),
    seed,
  )
  return { value: r.value, ci: [r.low, r.high] as [number, number], significant: r.significant }
}

/**
 * The workers' break-even: for each variant swept over work size with the
 * event loop (parallelism 0) and a pool of N, the smallest size from which the
 * pool is faster at every larger size, warm and cold.
 */
function breakEvenOf(cells: readonly OkCell[], seed: number): BreakEven[] {
  const out: BreakEven[] = []
  for (const line of Map.groupBy(cells, (c) => lineKey(c, 'latencyMs', 'timeoutMs')).values()) {
    const loop = new Map(
      line.filter((c) => c.point.parallelism === 0).map((c) => [c.point.bytes, c]),
    )
    const workers = [...new Set(line.map((c) => c.point.parallelism))].filter((p) => p > 0)
    for (const n of workers) {
      const pool = line
        .filter((c) => c.point.parallelism === n && loop.has(c.point.bytes))
        .sort((a, b) => a.point.bytes - b.point.bytes)
      if (pool.length < 2) continue
      for (const mode of ['warm', 'cold'] as const) {
        const rates = mode === 'warm' ? throughputs : coldThroughputs
        const ratios = pool.map((c) => ({
          bytes: c.point.bytes,
          ...rateRatio(rates(c), rates(loop.get(c.point.bytes) as OkCell), seed),
        }))
        const from = (wins: (r: (typeof ratios)[number]) => boolean) => {
          let at: number | undefined
          for (let i = ratios.length - 1; i >= 0 && wins(ratios[i] as (typeof ratios)[number]); i--)
            at = ratios[i]?.bytes
          return at
        }
        const bytes = from((r) => r.value > 1)
        const confirmed = from((r) => r.ci[0] > 1)
        const first = pool[0] as OkCell
        out.push({
          workload: first.workload,
          variant: variantKey(first),
          workers: n,
          mode,
          ...(bytes !== undefined && { bytes }),
          ...(confirmed !== undefined && { confirmedBytes: confirmed }),
          ratios: ratios.map(({ bytes, value, ci }) => ({ bytes, value, ci })),
        })
      }
    }
  }
  return out
}

/** Scaling efficiency: a pool of N against 1 worker (or the loop), per variant and work size. */
function scalingOf(cells: readonly OkCell[], seed: number): Scaling[] {
  const out: Scaling[] = []
  for (const line of Map.groupBy(cells, (c) =>
    lineKey(c, 'bytes', 'latencyMs', 'timeoutMs'),
  ).values()) {
    const at = new Map(line.map((c) => [c.point.parallelism, c]))
    const reference = at.has(1) ? 1 : at.has(0) ? 0 : undefined
    if (reference === undefined) continue
    const base = at.get(reference) as OkCell
    for (const [n, cell] of at) {
      if (n < 2) continue
      const r = rateRatio(throughputs(cell), throughputs(base), seed)
      out.push({
        workload: cell.workload,
        variant: variantKey(cell),
        bytes: cell.point.bytes,
        workers: n,
        reference,
        speedup: r.value,
        ci: r.ci,
        efficiency: r.value / n,
      })
    }
  }
  return out
}

/** A cell against the same cell of an earlier run (> 1: faster now). */
export function compareCells(now: OkCell, before: OkCell, seed: number): Ratio {
  return ratioOf(now, before, seed)
}
