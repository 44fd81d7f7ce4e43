/**
 * The view model: everything the page shows, computed from a results file by
 * pure functions — verdicts, lessons, tables, ratios for every baseline a
 * reader can pick, run-to-run comparison, warnings. Nothing here is
 * hard-coded about who wins: every sentence is generated from the data.
 */
import {
  type Cell,
  isSequential,
  type Results,
  speedRatio,
  type WorkloadId,
  workloadIds,
} from '@arena/core'

/** A ratio against a baseline, ready to show. */
export interface RatioView {
  readonly value: number
  readonly low: number
  readonly high: number
  readonly significant: boolean
  /** `1.32× [1.20–1.45]`, or with `(n.s.)` when not significant. */
  readonly text: string
  /** Colour class: `faster-1`…`faster-5` (green), `slower-1`…`slower-5` (red), `same` when not significant. */
  readonly tone: string
}

/** One row of a workload table. */
export interface RowView {
  readonly cellId: string
  readonly implementation: string
  readonly variantKey: string
  readonly variantTitle: string
  readonly kind: 'idiomatic' | 'tuned'
  readonly workload: WorkloadId
  readonly section: string
  readonly pointId: string
  readonly pointLabel: string
  readonly status: 'ok' | 'failed'
  readonly failure?: string
  readonly itemsPerSecond?: number
  readonly ciItemsPerSecond?: readonly [number, number]
  readonly halfWidthPercent?: number
  readonly n?: number
  readonly outliers?: number
  readonly megabytesPerSecond?: number
  readonly percentOfCeiling?: number
  readonly cpuMs?: number
  readonly peakRssMiB?: number
  readonly loopDelayP99Ms?: number
  readonly latencyP50Ms?: number
  readonly latencyP99Ms?: number
  /** Outcomes of the first run by kind, like `ok 900 · http-status 100`. */
  readonly outcomes?: string
  /** Median wall time as a multiple of the per-operation timeout. */
  readonly timeoutMultiple?: number
  /** Most handles plus threads any run left behind after it resolved. */
  readonly leftOver?: number
  /** Ratio against each possible baseline (`impl/variant`), where it ran the same point. */
  readonly ratios: Readonly<Record<string, RatioView>>
}

/** The verdict for one workload. */
export interface VerdictView {
  readonly workload: WorkloadId
  readonly title: string
  /** The winning style's title, or undefined for a tie or no data. */
  readonly winner?: string
  readonly text: string
  readonly lesson: string
}

/** One cell compared with the same cell in another run. */
export interface ComparisonRow {
  readonly cellId: string
  readonly before: number
  readonly after: number
  readonly ratio: RatioView
  readonly wording: string
}

export const workloadTitles: Readonly<Record<WorkloadId, string>> = {
  fetch: 'I/O-bound fetch',
  hash: 'CPU-bound hash',
  scanPort: 'Port scan (I/O with timeouts)',
  pipeline: 'Mixed pipeline (fetch + hash)',
}

const fmt = (x: number, digits = 2) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const whole = (x: number) => Math.round(x).toLocaleString('en-US')

/**
 * The colour class of a ratio, as js-framework-benchmark colours a factor but
 * against the chosen baseline: green when faster, red when slower, five steps
 * deep (each step is a fifth of the way to 3× on a log scale), and no colour
 * at all when the interval includes 1.
 */
export function ratioTone(value: number, significant: boolean): string {
  if (!significant || !Number.isFinite(value) || value <= 0) return 'same'
  const step = Math.max(1, Math.min(5, Math.ceil((Math.abs(Math.log2(value)) / Math.log2(3)) * 5)))
  return `${value > 1 ? 'faster' : 'slower'}-${step}`
}

/** How a ratio reads: `1.32× [1.20–1.45]`, `0.80× [0.75–0.86]`, or `1.01× [0.97–1.05] (n.s.)`. */
export function ratioText(value: number, low: number, high: number, significant: boolean): string {
  return `${fmt(value)}× [${fmt(low)}–${fmt(high)}]${significant ? '' : ' (n.s.)'}`
}

/** A sentence for a change: faster, slower, or no significant difference. */
export function significanceWording(
  value: number,
  low: number,
  high: number,
  significant: boolean,
): string {
  if (!significant) return `no significant difference (${ratioText(value, low, high, false)})`
  return value > 1
    ? `${fmt(value)}× faster (95% CI ${fmt(low)}–${fmt(high)})`
    : `${fmt(1 / value)}× slower (95% CI ${fmt(1 / high)}–${fmt(1 / low)})`
}

/** The ratio of `subject` against `baseline` (both ok cells): > 1 means `subject` is faster. */
export function ratioView(subject: Cell, baseline: Cell, seed = 1): RatioView {
  const r = speedRatio(
    subject.samples.map((s) => s.wallMs),
    baseline.samples.map((s) => s.wallMs),
    seed,
  )
  return {
    value: r.value,
    low: r.low,
    high: r.high,
    significant: r.significant,
    text: ratioText(r.value, r.low, r.high, r.significant),
    tone: ratioTone(r.value, r.significant),
  }
}

const keyOf = (cell: Cell) => `${cell.implementation}/${cell.variant}`
const pointKey = (cell: Cell) => `${cell.workload}/${cell.point.id}`
const okCells = (results: Results) =>
  results.cells.filter((c) => c.status === 'ok' && c.stats && c.samples.length > 0)

function variantOf(results: Results, cell: Cell) {
  return results.contestants
    .find((c) => c.id === cell.implementation)
    ?.variants.find((v) => v.id === cell.variant)
}

/** Every `impl/variant` of the run, the baseline first. */
export function baselineChoices(results: Results): string[] {
  const keys = [...new Set(results.cells.map(keyOf))]
  return [results.baseline, ...keys.filter((k) => k !== results.baseline).sort()]
}

/** The table rows, with ratios against every baseline that ran the same point. */
export function tableRows(results: Results): RowView[] {
  const ok = okCells(results)
  const byPoint = new Map<string, Cell[]>()
  for (const cell of ok) byPoint.set(pointKey(cell), [...(byPoint.get(pointKey(cell)) ?? []), cell])
  return results.cells.map((cell) => {
    const variant = variantOf(results, cell)
    const base = {
      cellId: cell.id,
      implementation: cell.implementation,
      variantKey: keyOf(cell),
      variantTitle: variant?.title ?? keyOf(cell),
      kind: variant?.kind ?? 'idiomatic',
      workload: cell.workload,
      section: cell.section,
      pointId: cell.point.id,
      pointLabel: cell.point.label,
    }
    if (cell.status !== 'ok' || !cell.stats) {
      return {
        ...base,
        status: 'failed' as const,
        failure: `${cell.failure?.reason ?? 'failed'}: ${cell.failure?.message ?? ''}`,
        ratios: {},
      }
    }
    const s = cell.stats
    // Ratios compare speed; a robustness cell ran once to prove its outcomes.
    const ratios: Record<string, RatioView> = {}
    if (cell.section === 'speed')
      for (const other of byPoint.get(pointKey(cell)) ?? [])
        ratios[keyOf(other)] = ratioView(cell, other, results.seed)
    return {
      ...base,
      status: 'ok' as const,
      itemsPerSecond: s.medianItemsPerSecond,
      ciItemsPerSecond: s.ciItemsPerSecond,
      halfWidthPercent: s.halfWidthPercent,
      n: s.n,
      outliers: s.outliers,
      megabytesPerSecond: s.medianMegabytesPerSecond,
      ...(cell.percentOfCeiling !== undefined && { percentOfCeiling: cell.percentOfCeiling }),
      cpuMs: s.medianCpuMs,
      peakRssMiB: s.medianPeakRssBytes / 2 ** 20,
      loopDelayP99Ms: s.medianLoopDelayP99Ms,
      ...(s.medianLatencyP50Ms !== undefined && { latencyP50Ms: s.medianLatencyP50Ms }),
      ...(s.medianLatencyP99Ms !== undefined && { latencyP99Ms: s.medianLatencyP99Ms }),
      outcomes: Object.entries(cell.samples[0]?.verdict.tally ?? {})
        .map(([kind, count]) => `${kind} ${count}`)
        .join(' · '),
      timeoutMultiple: s.medianWallMs / cell.point.timeoutMs,
      ...(s.maxHandlesLeft !== undefined && {
        leftOver: s.maxHandlesLeft + (s.maxThreadsLeft ?? 0),
      }),
      ratios,
    }
  })
}

function styleTitle(results: Results, implementation: string): string {
  return results.contestants.find((c) => c.id === implementation)?.title ?? implementation
}

/**
 * The verdict of a workload. Only idiomatic variants compete (tuned ones are
 * shown in the tables). At each point the best cell of each style meets the
 * best of the others; a style wins a point when its ratio's interval excludes
 * 1. The style winning most points is the winner, shown at the point where its
 * margin is widest; with no significant win anywhere, it is a tie.
 */
export function verdictFor(results: Results, workload: WorkloadId): Omit<VerdictView, 'lesson'> {
  const title = workloadTitles[workload]
  const cells = okCells(results).filter(
    (c) =>
      c.workload === workload && c.section === 'speed' && variantOf(results, c)?.kind !== 'tuned',
  )
  const styles = new Set(cells.map((c) => c.implementation))
  if (cells.length === 0) return { workload, title, text: 'No verified result for this workload.' }
  if (styles.size < 2)
    return {
      workload,
      title,
      text: `Only ${styleTitle(results, [...styles][0] ?? '')} has verified results; nothing to compare.`,
    }
  const points = [...new Set(cells.map((c) => c.point.id))]
  const wins = new Map<string, { point: string; label: string; ratio: RatioView; over: string }[]>()
  for (const point of points) {
    const best = new Map<string, Cell>()
    for (const cell of cells.filter((c) => c.point.id === point)) {
      const current = best.get(cell.implementation)
      if (
        !current ||
        (cell.stats?.medianItemsPerSecond ?? 0) > (current.stats?.medianItemsPerSecond ?? 0)
      )
        best.set(cell.implementation, cell)
    }
    const ranked = [...best.values()].sort(
      (a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0),
    )
    const [first, second] = ranked
    if (!first || !second) continue
    const ratio = ratioView(first, second, results.seed)
    if (ratio.significant && ratio.value > 1) {
      wins.set(first.implementation, [
        ...(wins.get(first.implementation) ?? []),
        { point, label: first.point.label, ratio, over: keyOf(second) },
      ])
    }
  }
  if (wins.size === 0) {
    return {
      workload,
      title,
      text: `No significant difference between the styles at any of ${points.length} point(s).`,
    }
  }
  const [winner, won] = [...wins.entries()].sort(
    (a, b) =>
      b[1].length - a[1].length ||
      Math.max(...b[1].map((w) => w.ratio.value)) - Math.max(...a[1].map((w) => w.ratio.value)),
  )[0] as [string, { point: string; label: string; ratio: RatioView; over: string }[]]
  const widest = [...won].sort((a, b) => b.ratio.value - a.ratio.value)[0] as (typeof won)[number]
  const others = [...wins.entries()]
    .filter(([style]) => style !== winner)
    .map(([style, w]) => `${styleTitle(results, style)} wins ${w.length}`)
  return {
    workload,
    title,
    winner: styleTitle(results, winner),
    text: `${styleTitle(results, winner)} wins ${won.length} of ${points.length} point(s); widest at ${widest.label}: ${widest.ratio.text} over ${widest.over}.${others.length ? ` ${others.join('; ')}.` : ''}`,
  }
}

function bestAt(results: Results, workload: WorkloadId, pointId: string): Cell | undefined {
  return okCells(results)
    .filter((c) => c.workload === workload && c.point.id === pointId)
    .sort((a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0))[0]
}

/** The lesson the numbers support for a workload, or a plain statement of what is missing. */
export function lessonFor(results: Results, workload: WorkloadId): string {
  const cells = okCells(results).filter((c) => c.workload === workload && c.section === 'speed')
  if (cells.length === 0) return ''
  const cores = results.environment.cores
  if (workload === 'hash') {
    const bySize = [...new Set(cells.map((c) => c.point.bytes))].sort((a, b) => b - a)
    const size = bySize[0] ?? 0
    const loop = cells.filter((c) => c.point.bytes === size && c.point.parallelism === 0)
    const pool = cells.filter((c) => c.point.bytes === size && c.point.parallelism >= 2)
    const best = (list: Cell[]) =>
      list.sort(
        (a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0),
      )[0]
    const l = best(loop)
    const p = best(pool)
    if (!l?.stats || !p?.stats)
      return `CPU-bound work: the best is ${whole(cells[0]?.stats?.medianMegabytesPerSecond ?? 0)} MB/s on ${cores} cores.`
    const scale = p.stats.medianItemsPerSecond / l.stats.medianItemsPerSecond
    return `CPU-bound work (${size >= 1 << 20 ? `${size >> 20} MiB` : `${size} B`} items): a pool of ${p.point.parallelism} workers runs ${fmt(scale)}× the event loop's throughput on ${cores} cores; on the event loop it blocks everything else — loop delay p99 ${fmt(l.stats.medianLoopDelayP99Ms, 1)} ms, against ${fmt(p.stats.medianLoopDelayP99Ms, 1)} ms with workers.`
  }
  if (workload === 'pipeline') {
    const l = cells
      .filter((c) => c.point.parallelism === 0)
      .sort(
        (a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0),
      )[0]
    const p = cells
      .filter((c) => c.point.parallelism > 0)
      .sort(
        (a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0),
      )[0]
    if (!l?.stats || !p?.stats) return ''
    return `Mixed work: hashing on ${p.point.parallelism} workers gives ${fmt(p.stats.medianItemsPerSecond / l.stats.medianItemsPerSecond)}× the throughput of hashing on the loop, and the loop's delay p99 goes from ${fmt(l.stats.medianLoopDelayP99Ms, 1)} ms to ${fmt(p.stats.medianLoopDelayP99Ms, 1)} ms.`
  }
  if (workload === 'fetch') {
    const family = (c: Cell) => `${c.point.bytes}/${c.point.latencyMs}`
    const groups = new Map<string, Cell[]>()
    for (const c of cells) groups.set(family(c), [...(groups.get(family(c)) ?? []), c])
    for (const group of groups.values()) {
      const low = Math.min(...group.map((c) => c.point.concurrency))
      const high = Math.max(...group.map((c) => c.point.concurrency))
      if (low === high) continue
      const a = bestAt(
        results,
        'fetch',
        group.find((c) => c.point.concurrency === low)?.point.id ?? '',
      )
      const b = bestAt(
        results,
        'fetch',
        group.find((c) => c.point.concurrency === high)?.point.id ?? '',
      )
      if (!a?.stats || !b?.stats) continue
      const spread = group
        .filter((c) => c.point.concurrency === high)
        .map((c) => c.stats?.medianItemsPerSecond ?? 0)
      const within = (1 - Math.min(...spread) / Math.max(...spread)) * 100
      return `I/O-bound work: raising concurrency from ${low} to ${high} multiplies throughput by ${fmt(b.stats.medianItemsPerSecond / a.stats.medianItemsPerSecond)}×; at ${high} the variants are within ${fmt(within, 0)}% of each other${b.percentOfCeiling !== undefined ? `, the best at ${fmt(b.percentOfCeiling, 0)}% of the ceiling` : ''}.`
    }
    const best = cells.sort(
      (a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0),
    )[0]
    return `I/O-bound work: the best reaches ${whole(best?.stats?.medianItemsPerSecond ?? 0)} pages/s.`
  }
  const best = cells.sort(
    (a, b) => (b.stats?.medianItemsPerSecond ?? 0) - (a.stats?.medianItemsPerSecond ?? 0),
  )[0]
  if (!best?.stats) return ''
  const ceiling = results.ceilings.find(
    (c) => c.workload === 'scanPort' && c.pointId === best.point.id,
  )
  return `Scanning ${best.point.ports ?? ''}: the fastest takes ${fmt(best.stats.medianWallMs / 1000)} s (${whole(best.stats.medianItemsPerSecond)} ports/s)${best.percentOfCeiling !== undefined && ceiling ? `, ${fmt(best.percentOfCeiling, 0)}% of the ceiling (${ceiling.tool})` : ''}; a connect scan is bound by the kernel and the timeout of filtered ports, not by the model.`
}

/** Verdicts and lessons, one per workload present. */
export function verdicts(results: Results): VerdictView[] {
  return workloadIds
    .filter((w) => results.cells.some((c) => c.workload === w))
    .map((w) => ({ ...verdictFor(results, w), lesson: lessonFor(results, w) }))
}

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

/**
 * The "before" picture: how many times faster than doing one thing at a time
 * each variant is, on every speed point the reference ran. The reference is
 * whichever variant declares no concurrency (`limits` of `concurrency: 1,
 * parallelism: 0`); with none in the run, there is no such view.
 */
export function speedups(results: Results): SpeedupView | undefined {
  const found = results.contestants.flatMap((c) =>
    c.variants.filter((v) => isSequential(v.limits)).map((v) => ({ key: `${c.id}/${v.id}`, v })),
  )[0]
  if (!found) return undefined
  const ok = okCells(results).filter((c) => c.section === 'speed')
  const reference = new Map(
    ok.filter((c) => keyOf(c) === found.key).map((c) => [pointKey(c), c] as const),
  )
  const workloads = workloadIds.flatMap((workload) => {
    const points = [...reference.values()]
      .filter((c) => c.workload === workload)
      .map((c) => ({ id: c.point.id, label: c.point.label }))
    if (points.length === 0) return []
    const keys = [...new Set(ok.filter((c) => c.workload === workload).map(keyOf))].filter(
      (k) => k !== found.key,
    )
    const rows = keys.map((variantKey) => {
      const ratios: Record<string, RatioView> = {}
      for (const cell of ok.filter((c) => c.workload === workload && keyOf(c) === variantKey)) {
        const ref = reference.get(pointKey(cell))
        if (ref) ratios[cell.point.id] = ratioView(cell, ref, results.seed)
      }
      const variant = variantOf(results, ok.find((c) => keyOf(c) === variantKey) as Cell)
      return {
        variantKey,
        variantTitle: variant?.title ?? variantKey,
        kind: variant?.kind ?? ('idiomatic' as const),
        ratios,
      }
    })
    return [{ workload, title: workloadTitles[workload], points, rows }]
  })
  return { reference: found.key, referenceTitle: found.v.title, workloads }
}

/** Warnings a reader must see before trusting the numbers. */
export function warnings(results: Results): string[] {
  const out: string[] = []
  const cores = results.environment.cores
  const wanted = Math.max(0, ...results.cells.map((c) => c.point.parallelism))
  if (wanted > cores)
    out.push(
      `Results were taken on ${cores} cores, fewer than the ${wanted} worker threads some cells asked for; those cells cannot scale further.`,
    )
  const failed = results.cells.filter((c) => c.status === 'failed').length
  if (failed > 0)
    out.push(`${failed} cell(s) failed; they are shown with their reason and never as a speed.`)
  if (results.environment.gitDirty)
    out.push('The working tree had uncommitted changes when this run was taken.')
  return out
}

/** Each cell in both runs, `after` against `before`, with its significance. */
export function compareRuns(after: Results, before: Results): ComparisonRow[] {
  const old = new Map(okCells(before).map((c) => [c.id, c]))
  return okCells(after).flatMap((cell) => {
    const previous = old.get(cell.id)
    if (!previous) return []
    const ratio = ratioView(cell, previous, after.seed)
    return [
      {
        cellId: cell.id,
        before: previous.stats?.medianItemsPerSecond ?? 0,
        after: cell.stats?.medianItemsPerSecond ?? 0,
        ratio,
        wording: significanceWording(ratio.value, ratio.low, ratio.high, ratio.significant),
      },
    ]
  })
}

/** Lines of code of a source, not counting blank and comment-only lines. */
export function codeLines(source: string): number {
  let inBlock = false
  let count = 0
  for (const raw of source.split('\n')) {
    const line = raw.trim()
    if (inBlock) {
      if (line.includes('*/')) inBlock = false
      continue
    }
    if (line === '' || line.startsWith('//')) continue
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/')
      continue
    }
    count++
  }
  return count
}
