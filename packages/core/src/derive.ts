/**
 * Derived figures: everything a results file's readers compute from its
 * facts, computed here and only here, so the harness's summary, the results
 * file and the report say the same thing. `cellStats` summarises one cell's
 * verified samples (medians and bootstrap intervals); `deriveFigures` relates
 * cells to each other and to the ceilings (ratios against the baseline, shares
 * of a verified ceiling); `compareCells` relates a cell to the same cell of
 * another run. The bootstrap is seeded, so the same facts give the same figures.
 */
import type { Ceiling, Cell, Derived, OkCell, Ratio, Results, Sample, Stats } from './results.ts'
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
  const median = (pick: (s: Sample) => number | undefined) => medianOf(samples.map(pick))
  const latencyP50 = median((s) => s.latencyP50Ms)
  const latencyP99 = median((s) => s.latencyP99Ms)
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
    medianPeakRssBytes: median((s) => s.peakRssBytes) ?? 0,
    medianLoopDelayP99Ms: median((s) => s.loopDelayP99Ms) ?? 0,
    medianLoopUtilization: median((s) => s.loopUtilization) ?? 0,
    medianGcMs: median((s) => s.gcMs) ?? 0,
    ...(latencyP50 !== undefined && { medianLatencyP50Ms: latencyP50 }),
    ...(latencyP99 !== undefined && { medianLatencyP99Ms: latencyP99 }),
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
  if (pairs.length === 0) return { cells }
  return {
    cells,
    aa: { pairs: pairs.length, significant: pairs.filter((r) => r.significant).length, ratios },
  }
}

/** A cell against the same cell of an earlier run (> 1: faster now). */
export function compareCells(now: OkCell, before: OkCell, seed: number): Ratio {
  return ratioOf(now, before, seed)
}
