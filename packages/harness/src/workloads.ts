/**
 * The table of workloads: everything the harness knows about each workload,
 * in one row per workload, so adding one is a spec in core, a row here and a
 * section in the kit. A row says how a grid point becomes a seeded spec, how
 * many items and bytes that spec is, how the child builds the contestant's
 * input and verifies the answer, which file of a contestant the report shows,
 * and the words and charts the results file carries for the report. The
 * compiler proves every workload has a row (`satisfies WorkloadTable`).
 */
import {
  expectedFetch,
  expectedHash,
  expectedPipeline,
  type FetchInput,
  type FetchResult,
  type FetchSpec,
  fetchInput,
  fetchSpec,
  formatBytes,
  formatCompact,
  formatNumber,
  type HashInput,
  type HashResult,
  type HashSpec,
  hashInput,
  hashSpec,
  type Latency,
  type OkCell,
  type Outcome,
  type PipelineInput,
  type PipelineResult,
  type PipelineSpec,
  type Point,
  pipelineSpec,
  type ScanInput,
  type ScanResult,
  type ScanSpec,
  scanInput,
  scanSpec,
  type Verdict,
  verifyOutcomes,
  type WorkloadId,
  type WorkloadInfo,
} from '@arena/core'
import {
  expectedScanFromTruth,
  type MockWorldInfo,
  recordTruth,
  tagUrls,
} from '@arena/kit/mock-world'

/** The types of each workload, by id. */
interface Types {
  fetch: { spec: FetchSpec; input: FetchInput; result: FetchResult }
  hash: { spec: HashSpec; input: HashInput; result: HashResult }
  scanPort: { spec: ScanSpec; input: ScanInput; result: ScanResult }
  pipeline: { spec: PipelineSpec; input: PipelineInput; result: PipelineResult }
}

/** The spec of workload `W`. */
export type SpecOf<W extends WorkloadId> = Types[W]['spec']
/** A spec of any workload. */
export type AnySpec = SpecOf<WorkloadId>

/** Where the mock world is, as a child sees it: the kit's one description of it. */
export type WorldAddress = MockWorldInfo

/** A verification in progress: started before a run, asked for its verdict after it. */
export interface Check<W extends WorkloadId> {
  /** The verdict on the run's answer; ends whatever the check started. */
  verdict(result: Types[W]['result']): Verdict
  /** Ends whatever the check started, when the run threw instead of answering. */
  stop(): void
}

/** What the report's lesson for a workload is made from: its verified speed cells. */
export interface LessonContext {
  readonly cells: readonly OkCell[]
  readonly cores: number
  /** A cell's share of its point's verified ceiling, %, when there is one. */
  readonly percentOfCeiling: (cell: OkCell) => number | undefined
  /** The tool of a cell's verified ceiling, when there is one. */
  readonly ceilingTool: (cell: OkCell) => string | undefined
}

/** One row of the table. */
export interface WorkloadRow<W extends WorkloadId> {
  /** How the report titles it. */
  readonly title: string
  /** What one item is, plural. */
  readonly items: string
  /** The contestant's file for it, by the house names (shown side by side in the report). */
  readonly sourceFile: string
  /** Whether its items are pages of the mock server (server-side in-flight peak and latency apply). */
  readonly pages: boolean
  /** Whether the mock server's own capacity (autocannon on one page URL) is measured beside its ceiling. */
  readonly serverCapacity: boolean
  /** The spec of `point` from `seed`; `scale` < 1 shrinks it (warm-ups). */
  spec(point: Point, seed: number, scale: number): SpecOf<W>
  /** Items of a spec. */
  count(spec: SpecOf<W>): number
  /** Bytes of a spec (pages or buffers), for MB/s; 0 for a scan. */
  bytes(spec: SpecOf<W>): number
  /** The contestant's input; `tag` groups a run's requests on the server. */
  input(spec: SpecOf<W>, world: WorldAddress, tag: string): Types[W]['input']
  /** Starts verifying a run of `spec` at the effective `parallelism` (hash faults depend on it). */
  watch(spec: SpecOf<W>, world: WorldAddress, parallelism: number): Check<W>
  /** The charts the report draws for it. */
  readonly charts: WorkloadInfo['charts']
  /** The lesson its verified speed cells support, or '' when they support none. */
  lesson(context: LessonContext): string
}

/** The whole table: a row for every workload, each typed by its own workload. */
export type WorkloadTable = { readonly [W in WorkloadId]: WorkloadRow<W> }

const latencyOf = (point: Point): Latency =>
  point.latencyMs > 0 ? { kind: 'fixed', ms: point.latencyMs } : { kind: 'none' }

const pagesOf = (point: Point, seed: number, scale: number) => ({
  seed,
  count: Math.max(1, Math.round(point.items * scale)),
  bytes: point.bytes,
  latency: latencyOf(point),
  ...(point.faults && { faults: point.faults }),
})

const pageBytes = (spec: FetchSpec | PipelineSpec) =>
  spec.items.reduce((sum, item) => sum + item.bytes, 0)

const pageInput = (spec: FetchSpec | PipelineSpec, world: WorldAddress, tag: string) => ({
  urls: tagUrls(fetchInput({ ...spec, workload: 'fetch' }, world.origin).urls, tag),
})

/** A check against outcomes known before the run. */
const against = <W extends WorkloadId>(expected: readonly Outcome<unknown>[]): Check<W> => ({
  verdict: (result) => verifyOutcomes(expected, result),
  stop: () => {},
})

const fastest = (cells: readonly OkCell[]) =>
  [...cells].sort((a, b) => b.stats.medianItemsPerSecond - a.stats.medianItemsPerSecond)[0]

/** The scan's range of a point, like `1-65535`. */
export function portRange(point: Point): { from: number; to: number } {
  const [from = 1, to = 1024] = (point.ports ?? '1-1024').split('-').map(Number)
  return { from, to }
}

/** The table. */
export const workloads = {
  fetch: {
    title: 'I/O-bound fetch',
    items: 'pages',
    sourceFile: 'fetch.ts',
    pages: true,
    serverCapacity: true,
    spec: (point, seed, scale) => fetchSpec(pagesOf(point, seed, scale)),
    count: (spec) => spec.items.length,
    bytes: pageBytes,
    input: pageInput,
    watch: (spec) => against(expectedFetch(spec)),
    charts: [
      {
        id: 'fetch-throughput',
        title: 'fetch: throughput vs concurrency',
        x: 'concurrency',
        xTitle: 'concurrency',
        xLog: true,
        y: 'medianItemsPerSecond',
        yTitle: 'pages/s (median)',
        sameOf: ['bytes', 'latencyMs'],
      },
    ],
    lesson({ cells, percentOfCeiling }) {
      const families = Map.groupBy(cells, (c) => `${c.point.bytes}/${c.point.latencyMs}`)
      for (const group of families.values()) {
        const low = Math.min(...group.map((c) => c.point.concurrency))
        const high = Math.max(...group.map((c) => c.point.concurrency))
        if (low === high) continue
        const atHigh = group.filter((c) => c.point.concurrency === high)
        const a = fastest(group.filter((c) => c.point.concurrency === low))
        const b = fastest(atHigh)
        if (!a || !b) continue
        const rates = atHigh.map((c) => c.stats.medianItemsPerSecond)
        const within = (1 - Math.min(...rates) / Math.max(...rates)) * 100
        const share = percentOfCeiling(b)
        return `I/O-bound work: raising concurrency from ${low} to ${high} multiplies throughput by ${formatNumber(b.stats.medianItemsPerSecond / a.stats.medianItemsPerSecond, 2)}×; at ${high} the variants are within ${formatNumber(within)}% of each other${share !== undefined ? `, the best at ${formatNumber(share)}% of the ceiling` : ''}.`
      }
      const best = fastest(cells)
      return best
        ? `I/O-bound work: the best reaches ${formatNumber(best.stats.medianItemsPerSecond)} pages/s.`
        : ''
    },
  },
  hash: {
    title: 'CPU-bound hash',
    items: 'buffers',
    sourceFile: 'hash.ts',
    pages: false,
    serverCapacity: false,
    spec: (point, seed, scale) =>
      hashSpec({
        seed,
        count: Math.max(1, Math.round(point.items * scale)),
        bytes: point.bytes,
        ...(point.faults && { faults: point.faults }),
      }),
    count: (spec) => spec.sizes.length,
    bytes: (spec) => spec.sizes.reduce((a, b) => a + b, 0),
    input: (spec) => hashInput(spec),
    watch: (spec, _world, parallelism) => against(expectedHash(spec, parallelism)),
    charts: [
      {
        id: 'hash-scaling',
        title: 'hash: MB/s vs worker threads',
        x: 'parallelism',
        xTitle: 'worker threads (0 = event loop)',
        xLog: false,
        y: 'medianMegabytesPerSecond',
        yTitle: 'MB/s (median)',
        sameOf: ['bytes'],
      },
    ],
    lesson({ cells, cores }) {
      const size = Math.max(...cells.map((c) => c.point.bytes))
      const loop = fastest(cells.filter((c) => c.point.bytes === size && c.point.parallelism === 0))
      const pool = fastest(cells.filter((c) => c.point.bytes === size && c.point.parallelism >= 2))
      if (!loop || !pool) {
        const best = fastest(cells)
        return best
          ? `CPU-bound work: the best is ${formatNumber(best.stats.medianMegabytesPerSecond)} MB/s on ${cores} cores.`
          : ''
      }
      const scale = pool.stats.medianItemsPerSecond / loop.stats.medianItemsPerSecond
      return `CPU-bound work (${formatBytes(size)} items): a pool of ${pool.point.parallelism} workers runs ${formatNumber(scale, 2)}× the event loop's throughput on ${cores} cores; on the event loop it blocks everything else — loop delay p99 ${formatNumber(loop.stats.medianLoopDelayP99Ms, 1)} ms, against ${formatNumber(pool.stats.medianLoopDelayP99Ms, 1)} ms with workers.`
    },
  },
  scanPort: {
    title: 'Port scan (I/O with timeouts)',
    items: 'ports',
    sourceFile: 'scan-port.ts',
    pages: false,
    serverCapacity: false,
    spec(point, _seed, scale) {
      const { from, to } = portRange(point)
      const count = Math.max(1, Math.round(point.items * scale))
      return scanSpec({ from, to: scale >= 1 ? to : Math.min(to, from + count - 1) })
    },
    count: (spec) => spec.ports.length,
    bytes: () => 0,
    input: (spec, world) => scanInput({ ...spec, host: world.host }),
    watch(spec, world) {
      // One poll at the start and one at the end: the harness's world holds still during a run.
      const recorder = recordTruth({
        host: world.host,
        filtered: world.filtered,
        intervalMs: 3_600_000,
      })
      return {
        verdict: (result) =>
          verifyOutcomes(expectedScanFromTruth(spec.ports, recorder, result), result),
        stop: () => void recorder.stop(),
      }
    },
    charts: [
      {
        id: 'scan-time',
        title: 'scanPort: time vs concurrency',
        x: 'concurrency',
        xTitle: 'concurrency',
        xLog: true,
        y: 'medianWallMs',
        yTitle: 'scan time, ms (median)',
        sameOf: ['ports'],
      },
    ],
    lesson({ cells, percentOfCeiling, ceilingTool }) {
      const best = fastest(cells)
      if (!best) return ''
      const share = percentOfCeiling(best)
      const tool = ceilingTool(best)
      return `Scanning ${best.point.ports ?? ''}: the fastest takes ${formatNumber(best.stats.medianWallMs / 1000, 2)} s (${formatNumber(best.stats.medianItemsPerSecond)} ports/s)${share !== undefined && tool ? `, ${formatNumber(share)}% of the ceiling (${tool})` : ''}; a connect scan is bound by the kernel and the timeout of filtered ports, not by the model.`
    },
  },
  pipeline: {
    title: 'Mixed pipeline (fetch + hash)',
    items: 'pages',
    sourceFile: 'pipeline.ts',
    pages: true,
    serverCapacity: false,
    spec: (point, seed, scale) => pipelineSpec(pagesOf(point, seed, scale)),
    count: (spec) => spec.items.length,
    bytes: pageBytes,
    input: pageInput,
    watch: (spec) => against(expectedPipeline(spec)),
    charts: [
      {
        id: 'pipeline-workers',
        title: 'pipeline: throughput vs worker threads',
        x: 'parallelism',
        xTitle: 'worker threads (0 = event loop)',
        xLog: false,
        y: 'medianItemsPerSecond',
        yTitle: 'pages/s (median)',
        sameOf: ['concurrency', 'bytes'],
      },
    ],
    lesson({ cells }) {
      const loop = fastest(cells.filter((c) => c.point.parallelism === 0))
      const pool = fastest(cells.filter((c) => c.point.parallelism > 0))
      if (!loop || !pool) return ''
      return `Mixed work: hashing on ${pool.point.parallelism} workers gives ${formatCompact(pool.stats.medianItemsPerSecond / loop.stats.medianItemsPerSecond)}× the throughput of hashing on the loop, and the loop's delay p99 goes from ${formatNumber(loop.stats.medianLoopDelayP99Ms, 1)} ms to ${formatNumber(pool.stats.medianLoopDelayP99Ms, 1)} ms.`
    },
  },
} satisfies WorkloadTable

/** The row of `workload`, typed by it. */
export function rowOf<W extends WorkloadId>(workload: W): WorkloadRow<W> {
  return (workloads as WorkloadTable)[workload]
}
